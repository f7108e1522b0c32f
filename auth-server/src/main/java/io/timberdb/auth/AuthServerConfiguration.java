package io.timberdb.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.timberdb.auth.config.AuthServerProperties;
import io.timberdb.auth.token.DefaultScopes;
import io.timberdb.auth.token.TokenClaims;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

/**
 * The authorization server: Spring Authorization Server with the client-credentials grant only,
 * its clients from {@code timberdb.auth.clients}, RS256 JWT access tokens carrying the audience
 * and tenant the cluster reads ({@link TokenClaims}).
 *
 * <p>Served: {@code POST /oauth2/token}, {@code GET /oauth2/jwks} (the public key),
 * {@code GET /.well-known/oauth-authorization-server} (RFC 8414 metadata), token introspection
 * and revocation for the clients themselves, and the open health probes. Anything else is 401.
 *
 * <p>The signing key is generated at each start and kept in memory: a restart invalidates the
 * tokens issued before it (the resource servers fetch the new key when they meet its {@code kid}).
 * That suits local use, which is what this server is for; production puts a real identity provider
 * in its place ({@code timberdb.security.issuer-uri}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthServerProperties.class)
public class AuthServerConfiguration {

    private static final int KEY_BITS = 2048;

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(server -> {
            http.securityMatcher(server.getEndpointsMatcher());
            server.tokenEndpoint(token -> token.accessTokenRequestConverters(converters -> converters.replaceAll(
                    converter -> converter instanceof OAuth2ClientCredentialsAuthenticationConverter
                            ? new DefaultScopes(converter) : converter)));
        });
        return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .exceptionHandling(handling -> handling.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)))
                .build();
    }

    /** Everything outside the authorization server's endpoints: the health probes, else 401. */
    @Bean
    @Order(2)
    SecurityFilterChain probesChain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .anyRequest().denyAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .exceptionHandling(handling -> handling.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)))
                .build();
    }

    @Bean
    RegisteredClientRepository registeredClients(AuthServerProperties props) {
        TokenSettings tokens = TokenSettings.builder().accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .accessTokenTimeToLive(props.tokenTtl()).build();
        return new InMemoryRegisteredClientRepository(props.clients().stream()
                .map(client -> RegisteredClient.withId(UUID.nameUUIDFromBytes(client.id().getBytes(StandardCharsets.UTF_8)).toString())
                        .clientId(client.id())
                        .clientSecret(client.encodedSecret())
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                        .scopes(scopes -> scopes.addAll(client.scopes()))
                        .tokenSettings(tokens)
                        .build())
                .toList());
    }

    @Bean
    JWKSource<SecurityContext> signingKeys() throws JOSEException {
        RSAKey key = new RSAKeyGenerator(KEY_BITS).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                .keyIDFromThumbprint(true).generate();
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(AuthServerProperties props) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
        if (props.issuer() != null) {
            settings.issuer(props.issuer().toString());
        }
        return settings.build();
    }

    @Bean
    TokenClaims tokenClaims(AuthServerProperties props) {
        return new TokenClaims(props);
    }
}
