package io.timberdb.model.web;

import io.timberdb.model.error.ErrorCode;
import java.util.Map;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Guards the internal routes ({@code /internal/**}) with the {@link ClusterCredential}: without
 * the {@value ClusterCredential#HEADER} header 401 {@code AUTHENTICATION_REQUIRED}, with another
 * value 403 {@code INVALID_CLUSTER_CREDENTIAL} (problem details, the token never echoed). A user's
 * bearer token is no credential here: it is not even read. Without a configured credential every
 * request passes, as before.
 *
 * <p>A request that presents the right token, on any route, is marked in its Reactor context
 * ({@link #CLUSTER_CALLER_KEY}), so that the audit log names its caller {@code cluster}.
 *
 * <p>A plain {@link WebFilter}, not Spring Security: the storage node serves only internal routes
 * and has no security chain (Spring Security on its classpath would lock it behind a login), and
 * the coordinator's chain leaves {@code /internal/**} to this filter.
 *
 * <p>Stateless and thread-safe.
 */
public final class ClusterCredentialFilter implements WebFilter {

    /** The internal routes, matched as the handler mappings match (decoded segments, so {@code /%69nternal/} too). */
    private static final PathPattern INTERNAL = PathPatternParser.defaultInstance.parse("/internal/**");
    /** The Reactor context key that marks a request which presented the cluster credential. */
    public static final String CLUSTER_CALLER_KEY = ClusterCredentialFilter.class.getName() + ".clusterCaller";

    private final ClusterCredential credential;

    public ClusterCredentialFilter(ClusterCredential credential) {
        this.credential = credential;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!credential.configured()) {
            return chain.filter(exchange);
        }
        String presented = exchange.getRequest().getHeaders().getFirst(ClusterCredential.HEADER);
        boolean valid = credential.matches(presented);
        if (!valid && INTERNAL.matches(exchange.getRequest().getPath().pathWithinApplication())) {
            return presented == null
                    ? ProblemDetailsAdvice.write(exchange, ErrorCode.AUTHENTICATION_REQUIRED,
                            "internal routes need the cluster credential (header " + ClusterCredential.HEADER + ")", Map.of())
                    : ProblemDetailsAdvice.write(exchange, ErrorCode.INVALID_CLUSTER_CREDENTIAL,
                            "the cluster credential is not this cluster's", Map.of());
        }
        return valid ? chain.filter(exchange).contextWrite(context -> context.put(CLUSTER_CALLER_KEY, Boolean.TRUE))
                : chain.filter(exchange);
    }
}
