package io.timberdb.coordinator.api;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Marks requests that another voter forwarded ({@value LeaderForwarder#FORWARDED_HEADER}) in the
 * Reactor context, so that {@link LeaderForwarder} answers them without forwarding again, with the
 * command id and time the forwarding voter chose, if it sent them
 * ({@value LeaderForwarder#COMMAND_ID_HEADER}, {@value LeaderForwarder#COMMAND_TIME_HEADER}).
 * Stateless and thread-safe.
 */
public final class ForwardedWriteFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String from = exchange.getRequest().getHeaders().getFirst(LeaderForwarder.FORWARDED_HEADER);
        if (from == null) {
            return chain.filter(exchange);
        }
        String id = exchange.getRequest().getHeaders().getFirst(LeaderForwarder.COMMAND_ID_HEADER);
        String time = exchange.getRequest().getHeaders().getFirst(LeaderForwarder.COMMAND_TIME_HEADER);
        return chain.filter(exchange).contextWrite(context -> {
            Context marked = context.put(LeaderForwarder.FORWARDED_KEY, from);
            return id == null || time == null ? marked
                    : marked.put(LeaderForwarder.COMMAND_ID_KEY, id).put(LeaderForwarder.COMMAND_TIME_KEY, time);
        });
    }
}
