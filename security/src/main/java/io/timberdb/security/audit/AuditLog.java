package io.timberdb.security.audit;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.web.ClusterCredentialFilter;
import io.timberdb.security.tenant.CallerTenant;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log: one JSON line on the logger {@value #LOGGER} per administrative action
 * (partition create/update/delete, node drain/decommission/activate, voter add/remove) and per
 * query, written when the action ends:
 *
 * <pre>{"time":"2026-11-26T14:00:00.123Z","subject":"alice","tenant":"acme","action":"partition.delete",
 *  "target":"web","result":{"status":404,"code":"PARTITION_NOT_FOUND"},"client":"127.0.0.1"}</pre>
 *
 * <ul>
 *   <li>{@code subject}: the token's {@code sub}; {@code cluster} for a caller that presented the
 *       cluster credential (an internal route); else {@code anonymous};</li>
 *   <li>{@code tenant}: the caller's tenant ({@link CallerTenant}), or the tenant a cluster process
 *       names for its own caller (an auto-created partition); null for cluster actions (nodes,
 *       voters), which belong to no tenant;</li>
 *   <li>{@code result}: the answer's status and, for a refusal, its stable {@code code}; a
 *       cancelled request (the client went away) is {@code {"status":499,"code":"CANCELLED"}}.</li>
 * </ul>
 *
 * Never a token, a key or a secret: the subject is a claim, the target a partition, node or voter
 * id or a query's partitions. Off with {@code timberdb.security.audit.enabled=false}.
 *
 * <p>Thread-safe: stateless apart from the thread-safe logger and mapper.
 */
public final class AuditLog {

    /** The logger the lines go to; route it to its own appender to keep an audit file. */
    public static final String LOGGER = "timberdb.audit";
    /** The subject of a caller that presented the cluster credential. */
    public static final String CLUSTER_SUBJECT = "cluster";
    /**
     * The Reactor context key that marks a request another process already records: a write a
     * coordinator voter forwarded to the leader is logged once, by the voter the client called.
     */
    public static final String RECORDED_ELSEWHERE_KEY = AuditLog.class.getName() + ".recordedElsewhere";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CANCELLED = 499;
    private static final Supplier<String> NO_TENANT = () -> "";

    private final boolean enabled;
    private final InstantSource clock;

    /** @param enabled whether lines are written ({@code timberdb.security.audit.enabled}) */
    public AuditLog(boolean enabled, InstantSource clock) {
        this.enabled = enabled;
        this.clock = clock;
    }

    /** An audit log that writes nothing: for wiring without security (tests, tools). */
    public static AuditLog disabled() {
        return new AuditLog(false, InstantSource.system());
    }

    /**
     * {@code work} recorded as {@code action} on {@code target} of the caller's tenant, answered
     * {@code okStatus} when it succeeds.
     */
    public <T> Mono<T> tenantAction(String action, String target, int okStatus, ServerHttpRequest request, Mono<T> work) {
        return record(action, () -> target, okStatus, request, callerTenant(), work);
    }

    /**
     * {@code work} recorded as {@code action} of the caller's tenant on the target {@code target}
     * names when the action ends (a name read from the request body), answered {@code okStatus}.
     */
    public <T> Mono<T> tenantAction(String action, Supplier<String> target, int okStatus, ServerHttpRequest request,
                                    Mono<T> work) {
        return record(action, target, okStatus, request, callerTenant(), work);
    }

    /**
     * {@code work} recorded as {@code action} of the tenant {@code tenant} names, on the target
     * {@code target} names, both read when the action ends: a cluster process acting for one of its
     * own callers, whose tenant the request body names (the ingest service's auto-create of a
     * partition on an internal route, where the caller of this process is the cluster).
     */
    public <T> Mono<T> tenantAction(String action, Supplier<String> tenant, Supplier<String> target, int okStatus,
                                    ServerHttpRequest request, Mono<T> work) {
        return record(action, target, okStatus, request, Mono.just(tenant), work);
    }

    /** {@code work} recorded as {@code action} on {@code target}, a cluster-wide action (no tenant). */
    public <T> Mono<T> clusterAction(String action, String target, int okStatus, ServerHttpRequest request, Mono<T> work) {
        return record(action, () -> target, okStatus, request, Mono.just(NO_TENANT), work);
    }

    /** {@code work} recorded as a cluster-wide {@code action} on the target {@code target} names when it ends. */
    public <T> Mono<T> clusterAction(String action, Supplier<String> target, int okStatus, ServerHttpRequest request,
                                     Mono<T> work) {
        return record(action, target, okStatus, request, Mono.just(NO_TENANT), work);
    }

    private static Mono<Supplier<String>> callerTenant() {
        return CallerTenant.current().onErrorReturn("").map(tenant -> () -> tenant);
    }

    private <T> Mono<T> record(String action, Supplier<String> target, int okStatus, ServerHttpRequest request,
                               Mono<Supplier<String>> tenant, Mono<T> work) {
        if (!enabled) {
            return work;
        }
        String client = client(request);
        return Mono.deferContextual(context -> {
            if (context.hasKey(RECORDED_ELSEWHERE_KEY)) {
                return work;
            }
            boolean clusterCaller = context.hasKey(ClusterCredentialFilter.CLUSTER_CALLER_KEY);
            return subject(clusterCaller).zipWith(tenant).flatMap(who -> work
                    .doOnSuccess(ok -> write(who.getT1(), who.getT2().get(), action, target.get(), okStatus, null, client))
                    .doOnError(e -> {
                        if (e instanceof ResponseStatusException refused) { // an unreadable body, say
                            write(who.getT1(), who.getT2().get(), action, target.get(), refused.getStatusCode().value(), null,
                                    client);
                            return;
                        }
                        ErrorCode code = e instanceof TimberException te ? te.code() : ErrorCode.INTERNAL;
                        write(who.getT1(), who.getT2().get(), action, target.get(), code.status(), code.code(), client);
                    })
                    .doFinally(signal -> {
                        if (signal == SignalType.CANCEL) {
                            write(who.getT1(), who.getT2().get(), action, target.get(), CANCELLED, "CANCELLED", client);
                        }
                    }));
        });
    }

    private static Mono<String> subject(boolean clusterCaller) {
        if (clusterCaller) {
            return Mono.just(CLUSTER_SUBJECT);
        }
        return ReactiveSecurityContextHolder.getContext().mapNotNull(SecurityContext::getAuthentication)
                .map(AuditLog::subjectOf).defaultIfEmpty("anonymous");
    }

    private static String subjectOf(Authentication caller) {
        if (caller instanceof JwtAuthenticationToken token) {
            String sub = token.getToken().getSubject();
            return sub == null ? "unknown" : sub;
        }
        return "anonymous";
    }

    private static String client(ServerHttpRequest request) {
        InetSocketAddress remote = request == null ? null : request.getRemoteAddress();
        if (remote == null) {
            return null;
        }
        return remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
    }

    private void write(String subject, String tenant, String action, String target, int status, String code,
                       String client) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", status);
        if (code != null) {
            result.put("code", code);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("subject", subject);
        line.put("tenant", tenant == null || tenant.isEmpty() ? null : tenant);
        line.put("action", action);
        line.put("target", target);
        line.put("result", result);
        line.put("client", client);
        LOG.info(JSON.writeValueAsString(line));
    }
}
