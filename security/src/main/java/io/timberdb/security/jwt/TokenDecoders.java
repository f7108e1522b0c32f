package io.timberdb.security.jwt;

import com.nimbusds.jose.JOSEException;
import io.timberdb.security.config.SecurityProperties;
import io.timberdb.security.local.LocalSigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import reactor.core.publisher.Mono;

/**
 * Builds the token decoder and the token-to-caller converter of a mode:
 * <ul>
 *   <li>{@code jwt}: the keys of {@code jwk-set-uri}, or of the issuer's metadata when only
 *       {@code issuer-uri} is set (fetched on the first token, not at startup); RS and ES
 *       algorithms; {@code alg: none} and HMAC are refused</li>
 *   <li>{@code local}: the public half of the {@link LocalSigningKey} (generated on first start),
 *       RS256 only</li>
 * </ul>
 * Either way the claims are checked by {@link ClaimsValidator}.
 */
public final class TokenDecoders {

    private static final Set<SignatureAlgorithm> ASYMMETRIC = Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.RS384,
            SignatureAlgorithm.RS512, SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512,
            SignatureAlgorithm.PS256, SignatureAlgorithm.PS384, SignatureAlgorithm.PS512);

    private TokenDecoders() {
    }

    /**
     * The decoder of a jwt or local mode.
     *
     * @param dataDir where local mode keeps its key unless {@code local-key-file} says otherwise
     */
    public static ReactiveJwtDecoder decoder(SecurityProperties props, Path dataDir, Clock clock) {
        props.requireComplete();
        NimbusReactiveJwtDecoder decoder = switch (props.mode()) {
            case LOCAL -> {
                Path file = props.localKeyFile() != null ? props.localKeyFile() : LocalSigningKey.defaultFile(dataDir);
                try {
                    yield NimbusReactiveJwtDecoder.withPublicKey(LocalSigningKey.loadOrCreate(file).toRSAPublicKey())
                            .signatureAlgorithm(SignatureAlgorithm.RS256).build();
                } catch (IOException e) {
                    throw new UncheckedIOException("local mode: cannot read or create the signing key " + file, e);
                } catch (JOSEException e) {
                    throw new IllegalStateException("local mode: the signing key " + file + " is not an RSA key", e);
                }
            }
            case JWT -> (props.jwkSetUri() != null
                    ? NimbusReactiveJwtDecoder.withJwkSetUri(props.jwkSetUri().toString())
                    : NimbusReactiveJwtDecoder.withIssuerLocation(props.issuerUri().toString()))
                    .jwsAlgorithms(algorithms -> {
                        algorithms.clear();
                        algorithms.addAll(ASYMMETRIC);
                    })
                    .build();
            case OFF -> throw new IllegalArgumentException("authentication is off: no decoder");
        };
        decoder.setJwtValidator(new ClaimsValidator(props.expectedIssuer(), props.expectedAudiences(), props.clockSkew(), clock));
        return decoder;
    }

    /** Turns a validated token into a {@link TenantAuthentication}: its scopes, and its tenant. */
    public static Converter<Jwt, Mono<AbstractAuthenticationToken>> authentication(SecurityProperties props) {
        JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
        return jwt -> {
            Object tenant = jwt.getClaims().get(props.tenantClaim());
            return Mono.just(new TenantAuthentication(jwt, scopes.convert(jwt), tenant instanceof String s ? s : null));
        };
    }
}
