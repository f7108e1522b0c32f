package io.timberdb.model.client;

import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.RegisterNodeRequest;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * HTTP client of the coordinator group. Any voter answers (followers forward writes to the
 * leader), so a call tries the voters in turn, starting with the last one that answered.
 *
 * <p>Thread-safe: the only mutable state is the index of the preferred voter.
 */
public final class CoordinatorClient {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final int NOT_MODIFIED = 304;
    /** The coordinators' route that creates a partition for a caller of a cluster process. */
    public static final String CREATE_PARTITION_PATH = "/internal/v1/partitions";
    private static final ParameterizedTypeReference<Map<String, Object>> PROBLEM = new ParameterizedTypeReference<>() {
    };

    private final WebClient http;
    private final List<URI> coordinators;
    /** Index of the voter that answered last; racy updates are harmless (it is a hint). */
    private final AtomicInteger preferred = new AtomicInteger();

    public CoordinatorClient(WebClient.Builder builder, List<URI> coordinators) {
        if (coordinators.isEmpty()) {
            throw new IllegalArgumentException("timberdb.coordinators is empty: no coordinator to ask");
        }
        this.http = builder.build();
        this.coordinators = List.copyOf(coordinators);
    }

    /**
     * The cluster view, read consistently: the answering voter first catches up with every
     * write committed before the call (a Raft read index), so a partition created through any
     * voter is in the answer.
     */
    public Mono<ClusterView> view() {
        return call(base -> http.get().uri(base.resolve("/api/v1/cluster?consistent=true"))
                .retrieve().bodyToMono(ClusterView.class));
    }

    /**
     * Watches the cluster view: the answering voter holds the call until it applies a view with a
     * version above {@code after} (that view) or {@code wait} passes (empty: nothing newer). A
     * voter that does not know the watch answers its current view at once, whatever its version:
     * callers compare it with {@code after}.
     */
    public Mono<Optional<ClusterView>> watch(long after, Duration wait) {
        return call(base -> http.get().uri(base.resolve("/api/v1/cluster?after=" + after + "&wait=" + wait.toMillis() + "ms"))
                .retrieve().toEntity(ClusterView.class)
                .map(answer -> Optional.ofNullable(answer.getStatusCode().value() == NOT_MODIFIED ? null : answer.getBody())),
                wait.plus(CALL_TIMEOUT));
    }

    /** Registers (or re-announces) a storage node; idempotent. */
    public Mono<StorageNode> registerNode(String id, String address) {
        return registerNode(new RegisterNodeRequest(id, address));
    }

    /** Registers (or re-announces) a storage node with its zone and capacity; idempotent. */
    public Mono<StorageNode> registerNode(RegisterNodeRequest registration) {
        return call(base -> http.post().uri(base.resolve("/internal/v1/nodes"))
                .bodyValue(registration)
                .retrieve().bodyToMono(StorageNode.class));
    }

    /**
     * Proposes a shard's new in-sync replicas (its leader does, TDB-05): applied only when
     * {@code leader} and {@code epoch} are the shard's current ones and its ISR is still
     * {@code isr}. Fails when the coordinator refuses (a conflict) or none answers.
     */
    public Mono<Partition> alterIsr(String partitionId, int shard, String leader, long epoch, List<String> isr,
                                    List<String> newIsr) {
        Map<String, Object> body = Map.of("leader", leader, "epoch", epoch, "isr", isr, "new_isr", newIsr);
        return call(base -> http.post().uri(base.resolve("/internal/v1/partitions/"
                        + java.net.URLEncoder.encode(partitionId, java.nio.charset.StandardCharsets.UTF_8)
                        + "/shards/" + shard + "/isr"))
                .bodyValue(body)
                .retrieve().bodyToMono(Partition.class));
    }

    /**
     * Creates a partition on behalf of a caller of this process, in the tenant the request names
     * ({@value #CREATE_PARTITION_PATH}, behind the cluster credential; the ingest service's
     * Elasticsearch auto-create). A refusal (a 4xx problem: {@code PARTITION_EXISTS},
     * {@code INVALID_FIELD}, …) fails at once with its code; a voter that does not answer, or
     * answers 5xx, is passed over for the next, so a creation that one voter committed but could
     * not answer may come back from the next as {@code PARTITION_EXISTS}.
     */
    public Mono<Partition> createPartition(CreatePartitionRequest request) {
        return call(base -> http.post().uri(base.resolve(CREATE_PARTITION_PATH))
                .bodyValue(request)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(Partition.class)
                        : response.bodyToMono(PROBLEM).onErrorReturn(Map.of()).defaultIfEmpty(Map.of())
                                .flatMap(problem -> Mono.error(TimberException.relayed(response.statusCode().value(),
                                        problem, "coordinator " + base)))));
    }

    private <T> Mono<T> call(Function<URI, Mono<T>> request) {
        return call(request, CALL_TIMEOUT);
    }

    private <T> Mono<T> call(Function<URI, Mono<T>> request, Duration timeout) {
        int start = preferred.get();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        return Flux.range(0, coordinators.size())
                .map(i -> (start + i) % coordinators.size())
                .concatMap(index -> request.apply(coordinators.get(index))
                        .timeout(timeout)
                        .doOnSuccess(ok -> preferred.set(index))
                        .onErrorResume(e -> {
                            if (e instanceof TimberException refused && refused.code().status() < 500) {
                                return Mono.error(e); // the request's fault: every voter would refuse it alike
                            }
                            failures.add(coordinators.get(index) + ": " + e.getMessage());
                            return Mono.empty();
                        }))
                .next()
                .switchIfEmpty(Mono.defer(() -> Mono.error(new TimberException(ErrorCode.UNAVAILABLE,
                        "no coordinator answered (" + String.join("; ", failures) + ")"))));
    }
}
