package io.timberdb.security.jwt;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.web.ProblemDetailsAdvice;
import io.timberdb.security.route.Access;
import io.timberdb.security.route.ApiRoutes;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a refused request as RFC 9457 problem details with a stable code, and the
 * {@code WWW-Authenticate} challenge of RFC 6750:
 * <ul>
 *   <li>no token: 401 {@code AUTHENTICATION_REQUIRED}, {@code Bearer realm="timberdb"}</li>
 *   <li>a token that does not validate: 401 {@code INVALID_TOKEN},
 *       {@code error="invalid_token"} and a description of what is wrong with it</li>
 *   <li>a valid token without the route's scope: 403 {@code INSUFFICIENT_SCOPE},
 *       {@code error="insufficient_scope"} and the scopes that would do</li>
 * </ul>
 * The descriptions are fixed texts: neither the token nor a parser's message about its content
 * reaches the client or the log.
 *
 * <p>Thread-safety: stateless.
 */
public final class BearerProblems implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

    private static final Logger log = LoggerFactory.getLogger(BearerProblems.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String REALM = "timberdb";
    static final String UNREADABLE = "the token is not a well-formed JWT signed by a key this server trusts";

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException e) {
        if (!(e instanceof OAuth2AuthenticationException)) {
            return write(exchange, ErrorCode.AUTHENTICATION_REQUIRED,
                    "this route needs a bearer token (Authorization: Bearer <token>)",
                    "Bearer realm=\"" + REALM + "\"", Map.of());
        }
        String reason = reason(e);
        log.debug("refused a bearer token on {} {}: {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), reason);
        return write(exchange, ErrorCode.INVALID_TOKEN, reason,
                "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\"" + reason + "\"", Map.of());
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        String scopes = ApiRoutes.classify(exchange.getRequest().getMethod(), exchange.getRequest().getPath().pathWithinApplication())
                .filter(access -> access.kind() == Access.Kind.SCOPED)
                .map(access -> String.join(" ", new TreeSet<>(access.scopes())))
                .orElse("");
        String detail = scopes.isEmpty() ? "the token does not allow this request"
                : "the token carries none of the scopes this route needs: " + scopes;
        return write(exchange, ErrorCode.INSUFFICIENT_SCOPE, detail,
                "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\", error_description=\"" + detail
                        + "\", scope=\"" + scopes + "\"", Map.of("scope", scopes));
    }

    /**
     * What is wrong with a token: the claim validators' own fixed descriptions, else one fixed
     * text for anything the parser or the signature check refused (their messages may quote the
     * token's decoded header).
     */
    static String reason(AuthenticationException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JwtValidationException invalid && !invalid.getErrors().isEmpty()) {
                return invalid.getErrors().stream().map(OAuth2Error::getDescription).distinct()
                        .reduce((a, b) -> a + "; " + b).orElseThrow();
            }
        }
        return UNREADABLE;
    }

    private static Mono<Void> write(ServerWebExchange exchange, ErrorCode code, String detail, String challenge,
                                    Map<String, Object> extra) {
        ProblemDetail problem = ProblemDetailsAdvice.problem(code, detail, null, exchange).getBody();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", problem.getInstance().toString());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        body.putAll(extra);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.valueOf(code.status()));
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        DataBuffer buffer = response.bufferFactory().wrap(JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(buffer));
    }
}
