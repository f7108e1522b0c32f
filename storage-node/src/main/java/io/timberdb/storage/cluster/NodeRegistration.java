package io.timberdb.storage.cluster;

import io.timberdb.model.api.RegisterNodeRequest;
import io.timberdb.model.client.CoordinatorClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Announces this storage node to the coordinators: registers once the HTTP server is up, then
 * re-registers every heartbeat interval (registration is idempotent, so it doubles as the
 * heartbeat). A failed call is retried with backoff, capped at the interval, until it succeeds.
 * Logs once per change of state (registered / unreachable), not once per failure.
 *
 * <p>Thread-safe: {@link #start} and {@link #close} are synchronized; the state is an atomic
 * reference updated from Reactor threads.
 */
public final class NodeRegistration implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeRegistration.class);

    /** Where the node stands with the coordinators. */
    public enum State { NOT_STARTED, STARTING, REGISTERED, UNREACHABLE }

    private final CoordinatorClient client;
    private final String nodeId;
    /** The failure zone sent with every registration, or null. */
    private final String zone;
    /** The bytes of storage this node offers, read at every registration; null when unknown. */
    private final Supplier<Long> capacity;
    /** The bytes of each shard it holds, read at every registration. */
    private final Supplier<Map<String, Long>> shardBytes;
    private final Duration heartbeat;
    private final Duration firstRetry;
    private final AtomicReference<State> state = new AtomicReference<>(State.NOT_STARTED);
    /** Guarded by {@code this}. */
    private Disposable loop;
    /** Written once by start(); volatile because the Reactor threads that log it read it. */
    private volatile String address;

    /**
     * Registers as {@code nodeId} every {@code heartbeat}, announcing {@code zone} (null when
     * unknown), the {@code capacity} in bytes of its storage (null when unknown) and the bytes of
     * each of its shards, which the coordinators' placement uses.
     */
    public NodeRegistration(CoordinatorClient client, String nodeId, String zone, Supplier<Long> capacity,
            Supplier<Map<String, Long>> shardBytes, Duration heartbeat) {
        this(client, nodeId, zone, capacity, shardBytes, heartbeat, Duration.ofMillis(200));
    }

    NodeRegistration(CoordinatorClient client, String nodeId, Duration heartbeat, Duration firstRetry) {
        this(client, nodeId, null, () -> null, Map::of, heartbeat, firstRetry);
    }

    NodeRegistration(CoordinatorClient client, String nodeId, String zone, Supplier<Long> capacity,
            Supplier<Map<String, Long>> shardBytes, Duration heartbeat, Duration firstRetry) {
        this.client = client;
        this.nodeId = nodeId;
        this.zone = zone;
        this.capacity = capacity;
        this.shardBytes = shardBytes;
        this.heartbeat = heartbeat;
        this.firstRetry = firstRetry.compareTo(heartbeat) < 0 ? firstRetry : heartbeat;
    }

    /**
     * Starts registering with {@code advertisedAddress} (the base URL other services reach this
     * node's internal API at). Non-blocking; a second call is ignored.
     */
    public synchronized void start(String advertisedAddress) {
        if (loop != null) {
            return;
        }
        address = advertisedAddress;
        state.set(State.STARTING);
        Mono<Void> once = Mono.defer(() -> client.registerNode(
                        new RegisterNodeRequest(nodeId, advertisedAddress, zone, capacity.get(), shardBytes.get())))
                .doOnSuccess(node -> transition(State.REGISTERED, null))
                .doOnError(e -> transition(State.UNREACHABLE, e))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, firstRetry).maxBackoff(heartbeat))
                .then();
        loop = once.then(Mono.delay(heartbeat)).repeat()
                .subscribe(null, e -> log.error("node registration stopped unexpectedly", e));
    }

    /** The current state. */
    public State state() {
        return state.get();
    }

    /** Whether the last registration or heartbeat succeeded. */
    public boolean registered() {
        return state.get() == State.REGISTERED;
    }

    /** The address registered, or null before {@link #start}. */
    public String address() {
        return address;
    }

    /** Stops heartbeating. */
    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.dispose();
        }
    }

    private void transition(State next, Throwable cause) {
        State previous = state.getAndSet(next);
        if (previous == next) {
            return;
        }
        if (next == State.REGISTERED) {
            log.info("{} with the coordinators as {} at {}",
                    previous == State.UNREACHABLE ? "registered again" : "registered", nodeId, address());
        } else if (previous == State.REGISTERED) {
            log.warn("lost contact with the coordinators ({}); retrying until they answer", cause.toString());
        } else {
            log.warn("cannot register with the coordinators yet ({}); retrying until they answer", cause.toString());
        }
    }
}
