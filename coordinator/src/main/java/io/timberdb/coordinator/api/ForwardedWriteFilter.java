package io.timberdb.coordinator.api;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Marks requests that another voter forwarded ({@value LeaderForwarder#FORWARDED_HEADER}) in the
 * Reactor context, so that {@link LeaderForwarder} answers them without forwarding again.
 * Stateless and thread-safe.
 */
public final class ForwardedWriteFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String from = exchange.getRequest().getHeaders().getFirst(LeaderForwarder.FORWARDED_HEADER);
        if (from == null) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange).contextWrite(context -> context.put(LeaderForwarder.FORWARDED_KEY, from));
    }
}
