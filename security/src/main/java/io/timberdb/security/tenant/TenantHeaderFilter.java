package io.timberdb.security.tenant;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * With authentication off, puts the {@value CallerTenant#HEADER} header of a request in its
 * Reactor context, where {@link CallerTenant#current()} finds it. With authentication on this
 * filter does nothing: the tenant comes from the token only.
 *
 * <p>Stateless and thread-safe.
 */
public final class TenantHeaderFilter implements WebFilter {

    private final boolean trustHeader;

    /** @param trustHeader whether the header names the tenant (authentication off) */
    public TenantHeaderFilter(boolean trustHeader) {
        this.trustHeader = trustHeader;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String header = trustHeader ? exchange.getRequest().getHeaders().getFirst(CallerTenant.HEADER) : null;
        return header == null ? chain.filter(exchange)
                : chain.filter(exchange).contextWrite(context -> CallerTenant.withHeader(context, header));
    }
}
