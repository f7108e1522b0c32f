package io.timberdb.security.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.timberdb.security.config.SecurityProperties;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * jwt mode with only {@code issuer-uri}: the keys are found through the issuer's metadata, on the
 * first token rather than at startup, and an ES256 token of that issuer and audience decodes.
 */
class IssuerDecoderTest {

    private static ECKey key;
    private static DisposableServer issuer;
    private static String base;
    private static final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        issuer = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/.well-known/openid-configuration", (request, response) -> {
                            requests.incrementAndGet();
                            return response.header("Content-Type", "application/json").sendString(Mono.just(
                                    "{\"issuer\":\"" + base + "\",\"jwks_uri\":\"" + base + "/jwks\"}"));
                        })
                        .get("/jwks", (request, response) -> {
                            requests.incrementAndGet();
                            return response.header("Content-Type", "application/json")
                                    .sendString(Mono.just(new JWKSet(key.toPublicJWK()).toString()));
                        }))
                .bindNow();
        base = "http://127.0.0.1:" + issuer.port();
    }

    @AfterAll
    static void stop() {
        issuer.disposeNow();
    }

    private static String token(String iss) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID("k1").build(),
                new JWTClaimsSet.Builder().issuer(iss).audience("timberdb").expirationTime(Date.from(now.plusSeconds(300)))
                        .claim("scope", "logs:read").build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    @Test
    void findsTheKeysThroughTheIssuersMetadataOnTheFirstToken() throws Exception {
        SecurityProperties props = new SecurityProperties(SecurityProperties.Mode.JWT, URI.create(base), null,
                List.of("timberdb"), Duration.ofSeconds(60), "tenant", null);
        ReactiveJwtDecoder decoder = TokenDecoders.decoder(props, Path.of("unused"), Clock.systemUTC());
        assertThat(requests).hasValue(0);

        assertThat(decoder.decode(token(base)).block().getClaimAsString("scope")).isEqualTo("logs:read");
        assertThat(requests.get()).isPositive();
        assertThatThrownBy(() -> decoder.decode(token("https://other.example")).block())
                .isInstanceOf(JwtValidationException.class).hasMessageContaining(ClaimsValidator.WRONG_ISSUER);
    }

    @Test
    void jwtModeWithoutIssuerOrAudiencesDoesNotStart() {
        SecurityProperties noIssuer = new SecurityProperties(SecurityProperties.Mode.JWT, null, null,
                List.of("timberdb"), Duration.ofSeconds(60), "tenant", null);
        SecurityProperties noAudience = new SecurityProperties(SecurityProperties.Mode.JWT, URI.create(base), null,
                List.of(), Duration.ofSeconds(60), "tenant", null);
        assertThatThrownBy(() -> TokenDecoders.decoder(noIssuer, Path.of("unused"), Clock.systemUTC()))
                .hasMessageContaining("issuer-uri");
        assertThatThrownBy(() -> TokenDecoders.decoder(noAudience, Path.of("unused"), Clock.systemUTC()))
                .hasMessageContaining("audiences");
    }
}
