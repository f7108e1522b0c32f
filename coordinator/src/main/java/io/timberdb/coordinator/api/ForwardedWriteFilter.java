package io.timberdb.coordinator.api;

import io.timberdb.model.web.ClusterCredential;
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
 *
 * <p>Only another voter forwards: with a {@link ClusterCredential} configured, the forwarding
 * headers count only on a request that presents it (as {@link LeaderForwarder} does); anyone
 * else's are ignored, so a client can neither skip the audit log nor choose a command's id. Without
 * one (a cluster that has no credential) they count as before.
 *
 * <p>Stateless and thread-safe.
 */
public final class ForwardedWriteFilter implements WebFilter {

    private final ClusterCredential credential;

    public ForwardedWriteFilter(ClusterCredential credential) {
        this.credential = credential;
    }

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
        boolean fromVoter = !credential.configured() || credential.matches(headers.getFirst(ClusterCredential.HEADER));
        String from = fromVoter ? headers.getFirst(LeaderForwarder.FORWARDED_HEADER) : null;
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
