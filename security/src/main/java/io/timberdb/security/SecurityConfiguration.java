package io.timberdb.security;

import io.timberdb.security.config.SecurityProperties;
import io.timberdb.security.jwt.BearerProblems;
import io.timberdb.security.jwt.TokenDecoders;
import io.timberdb.security.route.Access;
import io.timberdb.security.route.ApiRoutes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.authorization.AuthenticatedReactiveAuthorizationManager;
import org.springframework.security.authorization.AuthorityReactiveAuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import reactor.core.publisher.Mono;

/**
 * The public routes of a TimberDB process as an OAuth2 resource server: one
 * {@link SecurityWebFilterChain} built from {@link ApiRoutes}, in the mode of
 * {@code timberdb.security.mode}. Every process that depends on this module gets it
 * (auto-configuration).
 *
 * <ul>
 *   <li>{@code off}: the chain matches no request, so the process answers exactly as it did
 *       without Spring Security (no added headers, no token looked at).</li>
 *   <li>{@code jwt} / {@code local}: every request except the open routes (health, Prometheus)
 *       and the internal ones ({@code /internal/**}) needs a valid bearer token, and a scoped
 *       route one of its scopes. Open and internal routes are outside the chain: a token sent to
 *       them is not even read, so it neither helps nor hurts. Stateless: no session, no CSRF
 *       (nothing is authenticated by a cookie), no login page.</li>
 * </ul>
 */
@AutoConfiguration
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

    @Bean
    SecurityWebFilterChain timberSecurityChain(ServerHttpSecurity http, SecurityProperties props, Environment env) {
        if (props.mode() == SecurityProperties.Mode.OFF) {
            return http.securityMatcher(exchange -> ServerWebExchangeMatcher.MatchResult.notMatch()).build();
        }
        Path dataDir = Path.of(env.getProperty("timberdb.data-dir", "./timberdb-data"));
        BearerProblems problems = new BearerProblems();
        return http
                .securityMatcher(exchange -> ApiRoutes.classify(exchange.getRequest().getMethod(),
                                exchange.getRequest().getPath().pathWithinApplication())
                        .filter(access -> access.kind() == Access.Kind.OPEN || access.kind() == Access.Kind.INTERNAL)
                        .isPresent() ? ServerWebExchangeMatcher.MatchResult.notMatch() : ServerWebExchangeMatcher.MatchResult.match())
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(exchanges -> exchanges.anyExchange().access(new RouteScopes()))
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtDecoder(TokenDecoders.decoder(props, dataDir, Clock.systemUTC()))
                                .jwtAuthenticationConverter(TokenDecoders.authentication(props)))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .build();
    }

    /**
     * Decides a request from the route table: a scoped route needs one of its scopes, a path no
     * rule matches an authenticated caller.
     */
    static final class RouteScopes implements ReactiveAuthorizationManager<AuthorizationContext> {

        private final Map<Access, ReactiveAuthorizationManager<AuthorizationContext>> byAccess = ApiRoutes.RULES.stream()
                .map(ApiRoutes.Rule::access).filter(access -> access.kind() == Access.Kind.SCOPED).distinct()
                .collect(Collectors.toUnmodifiableMap(access -> access, access -> AuthorityReactiveAuthorizationManager
                        .hasAnyAuthority(access.scopes().stream().map(scope -> "SCOPE_" + scope).toArray(String[]::new))));
        private final ReactiveAuthorizationManager<AuthorizationContext> authenticated =
                AuthenticatedReactiveAuthorizationManager.authenticated();

        @Override
        public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
            Optional<Access> access = ApiRoutes.classify(context.getExchange().getRequest().getMethod(),
                    context.getExchange().getRequest().getPath().pathWithinApplication());
            return access.map(byAccess::get).orElse(authenticated).authorize(authentication, context);
        }
    }
}
