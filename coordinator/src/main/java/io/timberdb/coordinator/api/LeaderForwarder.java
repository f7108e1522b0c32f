package io.timberdb.coordinator.api;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.raft.NotLeaderException;
import io.timberdb.coordinator.raft.ProposalException;
import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.Result;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.security.tenant.CallerTenant;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Runs a metadata write where it can be committed: proposed to the local voter when it leads,
 * otherwise forwarded over HTTP to the leader's same route, with the header
 * {@value #FORWARDED_HEADER}. While no leader is known (an election), or the leader moves, it
 * retries for up to {@code leaderWait}, then fails with {@code UNAVAILABLE}.
 *
 * <p>A forwarded request (marked in the Reactor context by {@link ForwardedWriteFilter}) is never
 * forwarded again nor retried here: a voter that is not the leader answers {@code UNAVAILABLE}
 * at once and the origin retries, so two voters with stale views cannot bounce a write.
 *
 * <p>Thread-safe and stateless apart from the immutable WebClient.
 */
public final class LeaderForwarder {

    /** The request header that marks a forwarded write; its value is the forwarding voter's id. */
    public static final String FORWARDED_HEADER = "X-TimberDB-Forwarded-By";
    /** How long a write waits for a leader by default. */
    public static final Duration DEFAULT_LEADER_WAIT = Duration.ofSeconds(5);

    /** The Reactor context key that {@link ForwardedWriteFilter} sets on forwarded requests. */
    static final String FORWARDED_KEY = LeaderForwarder.class.getName() + ".forwardedBy";

    /**
     * The id and time the forwarding voter chose for a partition creation, so that the leader
     * proposes the very same command: a forward retried after the leader committed it (its answer
     * lost to a timeout or a leader change) is then applied as a repeat and answered as the first
     * time, not refused as a duplicate name.
     */
    public static final String COMMAND_ID_HEADER = "X-TimberDB-Command-Id";
    public static final String COMMAND_TIME_HEADER = "X-TimberDB-Command-Time";
    static final String COMMAND_ID_KEY = LeaderForwarder.class.getName() + ".commandId";
    static final String COMMAND_TIME_KEY = LeaderForwarder.class.getName() + ".commandTime";

    /**
     * The caller's headers that name its tenant ({@code Authorization}, {@code X-Scope-OrgID}),
     * put in the Reactor context by {@link ForwardedWriteFilter} and relayed with a forwarded write,
     * so that the leader resolves the partition in the same tenant as this voter did.
     */
    static final String CALLER_HEADERS_KEY = LeaderForwarder.class.getName() + ".callerHeaders";
    static final List<String> CALLER_HEADERS = List.of(HttpHeaders.AUTHORIZATION, CallerTenant.HEADER);

    /** How long one attempt of a write may take. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FIRST_RETRY = Duration.ofMillis(50);
    private static final Duration MAX_RETRY = Duration.ofMillis(400);
    private static final ParameterizedTypeReference<Map<String, Object>> PROBLEM = new ParameterizedTypeReference<>() {
    };

    private final MetadataGroup group;
    private final WebClient http;
    private final Duration leaderWait;

    /**
     * @param http the client builder (the application's, so that codecs and observation apply)
     * @param leaderWait how long a write retries while no leader can take it
     */
    public LeaderForwarder(MetadataGroup group, WebClient.Builder http, Duration leaderWait) {
        this.group = group;
        this.http = http.build();
        this.leaderWait = leaderWait;
    }

    /**
     * Commits a command: locally on the leader (then {@code interpret} turns the result into the
     * answer or a {@link TimberException}), else by POSTing {@code body} to {@code path} on the
     * leader, whose answer (or problem detail) is relayed as is.
     */
    public <T> Mono<T> submit(Command command, Function<Result, T> interpret, String path, Object body, Class<T> answer) {
        return submit(command, interpret, HttpMethod.POST, path, body, answer);
    }

    /**
     * Commits a command as {@link #submit(Command, Function, String, Object, Class)} does, forwarding
     * it as {@code method path} (a partition update or delete).
     *
     * @param body the request body to forward, or null for none
     */
    public <T> Mono<T> submit(Command command, Function<Result, T> interpret, HttpMethod method, String path, Object body,
                              Class<T> answer) {
        // A leader cut off from its quorum steps down within an election timeout, failing the
        // proposal; the timeout is a backstop. Re-proposing the same command is idempotent.
        Call<T> call = new Call<>(() -> Mono.fromFuture(() -> group.propose(command)).map(interpret), method,
                path, body, answer, CALL_TIMEOUT, headers -> {
                    if (command instanceof Command.CreatePartition create) {
                        headers.set(COMMAND_ID_HEADER, create.id());
                        headers.set(COMMAND_TIME_HEADER, create.createdAt().toString());
                    }
                });
        return submit(call);
    }

    /**
     * Runs a change that is not one command (a voter change): {@code onLeader} on the leader,
     * else {@code method path} with {@code body} (null for none) on the leader, whose answer is
     * relayed as is. {@code onLeader} must be safe to run again after a retryable failure.
     *
     * @param callTimeout how long one attempt may take (a new voter catching up takes a while)
     */
    public <T> Mono<T> submit(Supplier<Mono<T>> onLeader, HttpMethod method, String path, Object body, Class<T> answer,
                              Duration callTimeout) {
        return submit(new Call<>(onLeader, method, path, body, answer, callTimeout, headers -> { }));
    }

    /** One write: what runs on the leader, and the route a follower forwards it to. */
    private record Call<T>(Supplier<Mono<T>> onLeader, HttpMethod method, String path, Object body, Class<T> answer,
                           Duration timeout, Consumer<HttpHeaders> headers) {
    }

    private <T> Mono<T> submit(Call<T> call) {
        return Mono.deferContextual(context -> {
            Map<String, String> caller = context.getOrDefault(CALLER_HEADERS_KEY, Map.of());
            if (context.hasKey(FORWARDED_KEY)) {
                return attempt(call, false, caller);
            }
            long deadline = System.nanoTime() + leaderWait.toNanos();
            return Mono.defer(() -> attempt(call, true, caller))
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_RETRY).maxBackoff(MAX_RETRY)
                            .filter(e -> retryable(e) && System.nanoTime() < deadline));
        }).onErrorMap(LeaderForwarder::retryable, this::unavailable)
                // Raft completes proposals on its own threads: hand the answer back to the reactive ones.
                .publishOn(Schedulers.parallel());
    }

    private <T> Mono<T> attempt(Call<T> call, boolean mayForward, Map<String, String> caller) {
        if (group.isLeader()) {
            return Mono.defer(call.onLeader()).timeout(call.timeout());
        }
        URI leader = group.leaderHttpUrl();
        if (!mayForward || leader == null || group.self().id().equals(group.leaderId())) {
            return Mono.error(new NotLeaderException(group.self().id(), group.leaderId(), leader));
        }
        return forward(leader, call, caller);
    }

    private <T> Mono<T> forward(URI leader, Call<T> call, Map<String, String> caller) {
        String base = leader.toString().endsWith("/") ? leader.toString().substring(0, leader.toString().length() - 1)
                : leader.toString();
        WebClient.RequestBodySpec request = http.method(call.method()).uri(URI.create(base + call.path()))
                .header(FORWARDED_HEADER, group.self().id())
                .headers(headers -> caller.forEach(headers::set))
                .headers(call.headers());
        WebClient.RequestHeadersSpec<?> withBody = call.body() == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(call.body());
        return withBody
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(call.answer())
                        : response.bodyToMono(PROBLEM).onErrorReturn(Map.of()).defaultIfEmpty(Map.of())
                                .flatMap(problem -> Mono.error(relayed(response.statusCode(), problem))))
                .timeout(call.timeout());
    }

    /** The leader's problem detail, with its extra members, as an exception the local advice renders the same way. */
    static RuntimeException relayed(HttpStatusCode status, Map<String, Object> problem) {
        Object code = problem.get("code");
        ErrorCode error = code instanceof String s ? ErrorCode.fromCode(s)
                : status.value() == 503 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL;
        String detail = problem.get("detail") instanceof String s ? s : "the leader answered " + status;
        if (error == ErrorCode.UNAVAILABLE) {
            return new LeaderMoved(detail);
        }
        Map<String, Object> properties = new HashMap<>(problem);
        properties.keySet().removeAll(STANDARD_PROBLEM_MEMBERS);
        properties.values().removeIf(Objects::isNull);
        return new TimberException(error, detail, problem.get("field") instanceof String f ? f : null, properties, null);
    }

    /** The members every problem detail has; the others (e.g. an ISR conflict's placement) are relayed as they are. */
    private static final Set<String> STANDARD_PROBLEM_MEMBERS = Set.of("type", "title", "status",
            "detail", "instance", "code", "field");

    private static boolean retryable(Throwable e) {
        return e instanceof ProposalException p && p.retryable()
                || e instanceof LeaderMoved
                || e instanceof WebClientRequestException
                || e instanceof TimeoutException;
    }

    private TimberException unavailable(Throwable cause) {
        return new TimberException(ErrorCode.UNAVAILABLE, "no coordinator leader took the write within "
                + leaderWait.toMillis() + " ms: " + cause.getMessage(), null, cause);
    }

    /** The voter a write was forwarded to could not take it (no longer the leader, or busy). */
    private static final class LeaderMoved extends RuntimeException {
        LeaderMoved(String detail) {
            super(detail, null, false, false);
        }
    }
}
