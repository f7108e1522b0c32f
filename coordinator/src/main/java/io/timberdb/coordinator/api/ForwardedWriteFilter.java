package io.timberdb.coordinator.api;

import io.timberdb.security.audit.AuditLog;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
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
 * Every request's tenant headers ({@link LeaderForwarder#CALLER_HEADERS}) go in the context too,
 * for the forwarder to relay. A forwarded write is not audited again (the forwarding voter did).
 * Stateless and thread-safe.
 */
public final class ForwardedWriteFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        Map<String, String> caller = new HashMap<>();
        for (String name : LeaderForwarder.CALLER_HEADERS) {
            String value = headers.getFirst(name);
            if (value != null) {
                caller.put(name, value);
            }
        }
        String from = headers.getFirst(LeaderForwarder.FORWARDED_HEADER);
        String id = headers.getFirst(LeaderForwarder.COMMAND_ID_HEADER);
        String time = headers.getFirst(LeaderForwarder.COMMAND_TIME_HEADER);
        return chain.filter(exchange).contextWrite(context -> {
            Context marked = caller.isEmpty() ? context : context.put(LeaderForwarder.CALLER_HEADERS_KEY, Map.copyOf(caller));
            if (from == null) {
                return marked;
            }
            // the forwarding voter wrote the audit line of this write
            marked = marked.put(LeaderForwarder.FORWARDED_KEY, from).put(AuditLog.RECORDED_ELSEWHERE_KEY, from);
            return id == null || time == null ? marked
                    : marked.put(LeaderForwarder.COMMAND_ID_KEY, id).put(LeaderForwarder.COMMAND_TIME_KEY, time);
        });
    }
}
