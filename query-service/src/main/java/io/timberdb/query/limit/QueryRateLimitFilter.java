package io.timberdb.query.limit;

import io.timberdb.model.error.TimberException;
import io.timberdb.model.limit.HandlerRoutes;
import io.timberdb.model.limit.KeyedBuckets;
import io.timberdb.model.limit.RateLimitAnswers;
import io.timberdb.model.limit.ThrottleMetrics;
import io.timberdb.model.limit.TokenBucket;
import io.timberdb.model.limit.TokenBucket.Quota;
import io.timberdb.model.web.ProblemDetailsAdvice;
import io.timberdb.security.tenant.CallerTenant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Limits every query route by one token bucket per key (the caller's tenant,
 * {@link CallerTenant}, or its address): one request is taken as it arrives. The routes are every
 * mapping of a controller in {@code io.timberdb.query} ({@link HandlerRoutes}): running a query,
 * its status, its cancellation, the running list, and any route added there later.
 *
 * <p>A refusal is answered here, before the route runs, so nothing of it is executed: 429 with the
 * ingest limiter's {@code RATE_LIMITED} problem ({@code tenant}, {@code limit: requests},
 * {@code retry_after_seconds}), {@code Retry-After} and the {@code RateLimit-*} headers
 * ({@link RateLimitAnswers}); admitted requests carry the headers too unless
 * {@code enable-rate-limit-headers} is false. (The ingest limiter lets the route answer instead,
 * for Elasticsearch's error shape; the query routes have one shape, and some have no body to fail.)
 * A tenant header that is not a tenant name is left to the route, which refuses it with 400 and
 * runs nothing.
 *
 * <p>Ordered at 0: after the security filter chain (-100) and the tenant header filter
 * ({@code TenantHeaderFilter.ORDER}), whose principal and header {@link CallerTenant} reads.
 * Thread-safe: the buckets and the routes are.
 */
final class QueryRateLimitFilter implements WebFilter, Ordered {

    /** The throttling counter: query requests refused, by tenant. */
    static final String THROTTLED = "timberdb.query.throttled";
    static final String PACKAGE = "io.timberdb.query";

    private final QueryRateLimitProperties props;
    private final KeyedBuckets<TokenBucket> buckets;
    private final ThrottleMetrics metrics;
    private final HandlerRoutes routes;

    QueryRateLimitFilter(QueryRateLimitProperties props, InstantSource clock, ThrottleMetrics metrics,
                         Supplier<List<RequestMappingHandlerMapping>> mappings) {
        this.props = props;
        this.buckets = new KeyedBuckets<>(props.maxKeys(), props.idleEviction(), clock, (key, now) -> {
            QueryRateLimitProperties.Limits limits = props.limitsOf(key);
            return TokenBucket.perMinute(limits.burst(), limits.requestsPerMinute(), now);
        });
        this.metrics = metrics;
        this.routes = HandlerRoutes.of(mappings, (info, handler) -> HandlerRoutes.inPackage(handler, PACKAGE));
    }

    @Override
    public int getOrder() {
        return 0;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!props.enabled() || routes.match(exchange) == null) {
            return chain.filter(exchange);
        }
        return CallerTenant.current().map(Optional::of)
                .onErrorResume(TimberException.class, invalid -> Mono.just(Optional.empty()))
                .flatMap(tenant -> tenant.isEmpty() ? chain.filter(exchange) : admit(exchange, chain, tenant.get()));
    }

    private Mono<Void> admit(ServerWebExchange exchange, WebFilterChain chain, String tenant) {
        String key = props.keyBy().keyOf(tenant, exchange.getRequest());
        Quota quota = buckets.of(key).take(1, buckets.now());
        if (quota.admitted()) {
            if (props.enableRateLimitHeaders()) {
                RateLimitAnswers.headers(exchange.getResponse().getHeaders(), quota, false);
            }
            return chain.filter(exchange);
        }
        metrics.throttled(tenant, "requests");
        TimberException refusal = RateLimitAnswers.refusal(props.keyBy().describe(tenant, key), tenant, "requests",
                "query limit of " + props.limitsOf(key).requestsPerMinute() + " requests per minute", quota,
                "nothing was run");
        RateLimitAnswers.headers(exchange.getResponse().getHeaders(), quota, true);
        return ProblemDetailsAdvice.write(exchange, refusal.code(), refusal.getMessage(), refusal.properties());
    }
}
