package io.timberdb.security.tenant;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * With authentication off, puts the {@value CallerTenant#HEADER} header of a request in its
 * Reactor context, where {@link CallerTenant#current()} finds it. With authentication on this
 * filter does nothing: the tenant comes from the token only.
 *
 * <p>Ordered at {@link #ORDER}, after the security filter chain (-100) and before the filters that
 * read the caller's tenant (the query rate limit, at 0): a filter sees the context only if it runs
 * after this one.
 *
 * <p>Stateless and thread-safe.
 */
public final class TenantHeaderFilter implements WebFilter, Ordered {

    /** This filter's place in the chain. */
    public static final int ORDER = -90;

    private final boolean trustHeader;

    /** @param trustHeader whether the header names the tenant (authentication off) */
    public TenantHeaderFilter(boolean trustHeader) {
        this.trustHeader = trustHeader;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String header = trustHeader ? exchange.getRequest().getHeaders().getFirst(CallerTenant.HEADER) : null;
        return header == null ? chain.filter(exchange)
                : chain.filter(exchange).contextWrite(context -> CallerTenant.withHeader(context, header));
    }
}
