package io.timberdb.ingest.route;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.micrometer.core.instrument.MeterRegistry;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Appends a shard's batch at the shard's leader, with retries, a circuit breaker and a bulkhead
 * per storage node (Resilience4j, see {@link ResilienceProperties}), within a deadline per batch.
 *
 * <p>The first attempt goes to the node the caller names (the leader in its view). When an attempt
 * fails in a way the same batch may not (the node does not lead the shard, too few replicas are
 * in sync, the node is busy, unreachable or slow, or its breaker is open or its bulkhead full),
 * the next one waits an exponential backoff with jitter, refreshes the cluster view (the held view
 * when no coordinator answers) and goes to the shard's leader in it; a {@code NOT_LEADER}'s
 * {@code leader} hint wins while the view still names the node that refused. Every attempt sends
 * the same entries with the same ids, and a storage leader stores a batch it has seen once, so a
 * retried batch is never stored twice. Any other refusal (4xx, 500, a full disk) ends the batch
 * with the node's own problem. When the attempts or the deadline run out, the batch fails with
 * {@code UNAVAILABLE} (answered 503 with {@code Retry-After}), never a success: an attempt cut off
 * by the deadline may still have stored it, and the client's retry then gets new ids.
 *
 * <p>Breakers count unreachable nodes, timeouts and 5xx answers other than
 * {@code NOT_ENOUGH_REPLICAS} (a refusal about the shard, not the node); while a node's breaker
 * is open its appends fail at once into the retry, which may find a new leader. A full bulkhead
 * fails at once too, so appends to a slow node never queue without bound.
 *
 * <p>Thread-safe: the guards are; each batch keeps its own attempt state.
 */
public final class LeaderShardWriter implements ShardWriter {

    private static final Logger log = LoggerFactory.getLogger(LeaderShardWriter.class);

    private final ShardWriter nodes;
    private final ClusterViewSource cluster;
    private final AppendGuards guards;
    private final Duration deadline;
    private final Duration refreshTimeout;

    /**
     * @param nodes makes one attempt at one node (an {@link HttpShardWriter})
     * @param deadline how long a batch may take, all its attempts and waits included
     *        ({@code timberdb.ingest.write-timeout})
     */
    public LeaderShardWriter(ShardWriter nodes, ClusterViewSource cluster, ResilienceProperties props, Duration deadline) {
        this.nodes = nodes;
        this.cluster = cluster;
        this.guards = new AppendGuards(props);
        this.deadline = deadline;
        this.refreshTimeout = props.attemptTimeout();
    }

    /** Publishes the retry, breaker and bulkhead meters on {@code metrics}. */
    public void bindTo(MeterRegistry metrics) {
        guards.bindTo(metrics);
    }

    @Override
    public Mono<Void> append(String node, ShardId shard, List<LogEntry> entries) {
        Attempts attempts = new Attempts(node);
        return Mono.defer(() -> attempt(attempts, shard, entries))
                .transformDeferred(RetryOperator.of(guards.retry()))
                .timeout(deadline)
                .onErrorMap(e -> givenUp(e, attempts, shard));
    }

    CircuitBreaker breaker(String node) {
        return guards.breaker(node);
    }

    Bulkhead bulkhead(String node) {
        return guards.bulkhead(node);
    }

    private Mono<Void> attempt(Attempts attempts, ShardId shard, List<LogEntry> entries) {
        Mono<String> target = attempts.count++ == 0 ? Mono.just(attempts.node)
                : freshView().map(view -> attempts.leader(view, shard));
        // the bulkhead outside the breaker: an open breaker gives its permit back at once
        return target.flatMap(node -> Mono.defer(() -> nodes.append(node, shard, entries))
                .transformDeferred(CircuitBreakerOperator.of(guards.breaker(node)))
                .transformDeferred(BulkheadOperator.of(guards.bulkhead(node)))
                .doOnError(e -> attempts.failed(node, e)));
    }

    private Mono<ClusterView> freshView() {
        return Mono.defer(cluster::refresh)
                .timeout(refreshTimeout)
                .onErrorResume(e -> Mono.fromSupplier(cluster::current));
    }

    private Throwable givenUp(Throwable e, Attempts attempts, ShardId shard) {
        boolean timedOut = e instanceof TimeoutException;
        if (!timedOut && !AppendGuards.retryable(e)) {
            return e; // the node's own problem: a bad batch, a full disk, an internal error
        }
        Throwable last = attempts.last == null ? e : attempts.last;
        String detail = "shard " + shard + ": no leader stored the batch "
                + (timedOut ? "within " + deadline.toMillis() + " ms" : "in " + attempts.count + " attempts")
                + (attempts.lastFailedAt == null ? "" : "; the last failure, at " + attempts.lastFailedAt + ": " + describe(last));
        log.warn(detail);
        return new TimberException(ErrorCode.UNAVAILABLE, detail, null, e);
    }

    private static String describe(Throwable e) {
        return e instanceof TimberException te ? te.code().code() + ": " + te.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * One batch's attempts. Not thread-safe, and need not be: the retry subscribes the next attempt
     * only after the previous one failed, so one attempt at a time reads and writes it, and the
     * Reactor signals between them order the accesses.
     */
    private static final class Attempts {
        /** Attempts started. */
        int count;
        /** The node of the latest attempt. */
        String node;
        /** The latest failure, and the node it came from. */
        Throwable last;
        String lastFailedAt;
        /** The leader a {@code NOT_LEADER} named, and the node that named it. */
        String hintedLeader;
        String refusedBy;

        Attempts(String node) {
            this.node = node;
        }

        void failed(String failedNode, Throwable e) {
            last = e;
            lastFailedAt = failedNode;
            if (e instanceof TimberException te && te.code() == ErrorCode.NOT_LEADER
                    && te.properties().get("leader") instanceof String leader && !leader.equals(failedNode)) {
                hintedLeader = leader;
                refusedBy = failedNode;
            }
        }

        /** The shard's leader in {@code view}, or the hinted one while the view still names the node that refused. */
        String leader(ClusterView view, ShardId shard) {
            String placed = view.partition(shard.partition())
                    .map(Partition::shards)
                    .filter(shards -> shard.shard() < shards.size())
                    .map(shards -> shards.get(shard.shard()).node())
                    .orElse(node);
            if (hintedLeader != null && placed.equals(refusedBy) && view.node(hintedLeader).isPresent()) {
                node = hintedLeader;
            } else {
                node = placed;
            }
            return node;
        }
    }
}
