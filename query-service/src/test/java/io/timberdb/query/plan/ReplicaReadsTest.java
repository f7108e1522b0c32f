package io.timberdb.query.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Failover, hedging and missing shards over fake replicas that fail, hang or answer late, in virtual time. */
class ReplicaReadsTest {

    static final ShardId SHARD = new ShardId("p-1", 0);
    static final ShardQuery QUERY = new ShardQuery(null, 10, "SELECT * FROM logs LIMIT 10",
            Instant.parse("2026-11-26T00:00:00Z"), null, 10_000L);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Three replicas, leader storage-1, all in sync. */
    static final Partition.ShardPlacement THREE = new Partition.ShardPlacement(0, List.of("storage-1", "storage-2",
            "storage-3"), 4);

    /**
     * Replicas in memory: each node answers as its behaviour says; records which nodes were asked,
     * with which query, and which requests were cancelled before they answered.
     */
    static final class FakeReplicas implements ShardReader {
        final Map<String, Function<ShardQuery, Mono<ShardQueryResult>>> nodes = new ConcurrentHashMap<>();
        final List<String> asked = new CopyOnWriteArrayList<>();
        final Map<String, ShardQuery> received = new ConcurrentHashMap<>();
        final Set<String> cancelled = ConcurrentHashMap.newKeySet();

        FakeReplicas on(String node, Function<ShardQuery, Mono<ShardQueryResult>> behaviour) {
            nodes.put(node, behaviour);
            return this;
        }

        @Override
        public Mono<ShardQueryResult> query(String node, ShardId shard, ShardQuery query) {
            asked.add(node);
            received.put(node, query);
            AtomicBoolean answered = new AtomicBoolean();
            return nodes.getOrDefault(node, q -> Mono.error(new AssertionError(node + " has no behaviour"))).apply(query)
                    .doOnNext(result -> answered.set(true))
                    .doOnCancel(() -> {
                        if (!answered.get()) {
                            cancelled.add(node);
                        }
                    });
        }
    }

    static ShardQueryResult answer(String id) {
        return new ShardQueryResult(List.of(new LogEntry(id, Instant.parse("2026-11-25T00:00:00Z"), "s", Map.of(), "m")),
                5, 1);
    }

    static Function<ShardQuery, Mono<ShardQueryResult>> after(Duration delay, String id) {
        return q -> Mono.delay(delay).map(tick -> answer(id));
    }

    static Function<ShardQuery, Mono<ShardQueryResult>> failing(Throwable e) {
        return q -> Mono.error(e);
    }

    static Function<ShardQuery, Mono<ShardQueryResult>> hanging() {
        return q -> Mono.never();
    }

    final FakeReplicas replicas = new FakeReplicas();
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    ReplicaReads reads(Duration hedgeDelay) {
        return new ReplicaReads(replicas, hedgeDelay, metrics);
    }

    double count(String meter) {
        return metrics.counter(meter).count();
    }

    @Test
    void asksTheLeaderFirstThenTheOtherInSyncReplicasInIsrOrderAndNeverAReplicaOutOfSync() {
        assertThat(ReplicaReads.candidates(new Partition.ShardPlacement(0, "storage-2",
                List.of("storage-2", "storage-1", "storage-3", "storage-4"), List.of("storage-3", "storage-2", "storage-1"), 7)))
                .containsExactly("storage-2", "storage-3", "storage-1");
        assertThat(ReplicaReads.candidates(new Partition.ShardPlacement(0, "storage-1")))
                .containsExactly("storage-1");
    }

    @Test
    void failsOverToTheSecondInSyncReplicaWhenTheLeaderCannotBeReached() {
        replicas.on("storage-1", failing(new ConnectException("Connection refused")))
                .on("storage-2", after(Duration.ofMillis(10), "b"));
        StepVerifier.withVirtualTime(() -> reads(Duration.ofMillis(200)).read(SHARD, THREE, QUERY, TIMEOUT))
                .thenAwait(Duration.ofMillis(10))
                .assertNext(a -> {
                    assertThat(a.node()).isEqualTo("storage-2");
                    assertThat(a.hedged()).isFalse();
                    assertThat(a.result().entries()).extracting(LogEntry::id).containsExactly("b");
                })
                .verifyComplete();
        assertThat(replicas.asked).containsExactly("storage-1", "storage-2");
        assertThat(count("timberdb.query.failovers")).isEqualTo(1);
        assertThat(count("timberdb.query.hedges")).isZero();
    }

    @Test
    void failsOverOnAServerErrorOfTheReplica() {
        replicas.on("storage-1", failing(new TimberException(ErrorCode.UNAVAILABLE, "the shard store is busy")))
                .on("storage-2", after(Duration.ZERO, "b"));
        StepVerifier.withVirtualTime(() -> reads(Duration.ZERO).read(SHARD, THREE, QUERY, TIMEOUT))
                .assertNext(a -> assertThat(a.node()).isEqualTo("storage-2"))
                .verifyComplete();
    }

    @Test
    void aQueryErrorIsAnsweredAsItIsWithoutAskingAnotherReplica() {
        TimberException invalid = new TimberException(ErrorCode.QUERY_INVALID, "no such function", "query");
        replicas.on("storage-1", failing(invalid)).on("storage-2", after(Duration.ZERO, "b"));
        StepVerifier.withVirtualTime(() -> reads(Duration.ofMillis(200)).read(SHARD, THREE, QUERY, TIMEOUT))
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(invalid))
                .verify();
        assertThat(replicas.asked).containsExactly("storage-1");
        assertThat(count("timberdb.query.failovers")).isZero();
    }

    @Test
    void hedgesAfterTheDelayTakesTheFirstAnswerAndCancelsTheSlowReplica() {
        replicas.on("storage-1", after(Duration.ofSeconds(2), "a")).on("storage-2", after(Duration.ofMillis(50), "b"));
        StepVerifier.withVirtualTime(() -> reads(Duration.ofMillis(200)).read(SHARD, THREE, QUERY, TIMEOUT))
                .thenAwait(Duration.ofMillis(199))
                .then(() -> assertThat(replicas.asked).containsExactly("storage-1"))
                .thenAwait(Duration.ofMillis(1))
                .then(() -> assertThat(replicas.asked).containsExactly("storage-1", "storage-2"))
                .thenAwait(Duration.ofMillis(50))
                .assertNext(a -> {
                    assertThat(a.node()).isEqualTo("storage-2");
                    assertThat(a.hedged()).isTrue();
                })
                .verifyComplete();
        assertThat(replicas.cancelled).containsExactly("storage-1");
        assertThat(replicas.asked).doesNotContain("storage-3");
        assertThat(count("timberdb.query.hedges")).isEqualTo(1);
        assertThat(count("timberdb.query.hedge.wins")).isEqualTo(1);
    }

    @Test
    void theHedgedRequestGetsWhatIsLeftOfTheTimeBudget() {
        replicas.on("storage-1", hanging()).on("storage-2", after(Duration.ZERO, "b"));
        StepVerifier.withVirtualTime(() -> reads(Duration.ofMillis(200)).read(SHARD, THREE, QUERY, TIMEOUT))
                .thenAwait(Duration.ofMillis(200))
                .assertNext(a -> assertThat(a.node()).isEqualTo("storage-2"))
                .verifyComplete();
        assertThat(replicas.received.get("storage-1").budgetMillis()).isEqualTo(10_000L);
        assertThat(replicas.received.get("storage-2").budgetMillis()).isEqualTo(9_800L);
    }

    @Test
    void theFirstReplicaStillWinsWhenItAnswersBeforeTheHedgedOne() {
        replicas.on("storage-1", after(Duration.ofMillis(300), "a")).on("storage-2", after(Duration.ofSeconds(1), "b"));
        StepVerifier.withVirtualTime(() -> reads(Duration.ofMillis(200)).read(SHARD, THREE, QUERY, TIMEOUT))
                .thenAwait(Duration.ofMillis(300))
                .assertNext(a -> {
                    assertThat(a.node()).isEqualTo("storage-1");
                    assertThat(a.hedged()).isFalse();
                })
                .verifyComplete();
        assertThat(replicas.cancelled).containsExactly("storage-2");
        assertThat(count("timberdb.query.hedges")).isEqualTo(1);
        assertThat(count("timberdb.query.hedge.wins")).isZero();
    }

    @Test
    void noHedgeWhenTheFirstReplicaAnswersInTimeOrHedgingIsOff() {
        replicas.on("storage-1", after(Duration.ofMillis(150), "a"));
        StepVerifier.withVirtualTime(() -> reads(Duration.ofMillis(200)).read(SHARD, THREE, QUERY, TIMEOUT))
                .thenAwait(Duration.ofMillis(150))
                .assertNext(a -> assertThat(a.node()).isEqualTo("storage-1"))
                .verifyComplete();
        replicas.on("storage-1", after(Duration.ofSeconds(5), "a"));
        StepVerifier.withVirtualTime(() -> reads(Duration.ZERO).read(SHARD, THREE, QUERY, TIMEOUT))
                .thenAwait(Duration.ofSeconds(5))
                .assertNext(a -> assertThat(a.node()).isEqualTo("storage-1"))
                .verifyComplete();
        assertThat(replicas.asked).containsExactly("storage-1", "storage-1");
        assertThat(count("timberdb.query.hedges")).isZero();
    }

    @Test
    void aReplicaOutOfSyncIsNeverReadEvenWhenEveryInSyncOneFailed() {
        Partition.ShardPlacement storage2Behind = new Partition.ShardPlacement(0, "storage-1",
                List.of("storage-1", "storage-2", "storage-3"), List.of("storage-1", "storage-3"), 5);
        replicas.on("storage-1", failing(new ConnectException("Connection refused")))
                .on("storage-2", after(Duration.ZERO, "behind"))
                .on("storage-3", failing(new TimberException(ErrorCode.INTERNAL, "disk on fire")));
        StepVerifier.withVirtualTime(() -> reads(Duration.ofMillis(200)).read(SHARD, storage2Behind, QUERY, TIMEOUT))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ReplicaReads.ShardUnavailable.class)
                        .hasMessageContaining("p-1/0")
                        .hasMessageContaining("storage-1: java.net.ConnectException: Connection refused")
                        .hasMessageContaining("storage-3: ")
                        .hasMessageNotContaining("storage-2"))
                .verify();
        assertThat(replicas.asked).containsExactly("storage-1", "storage-3");
    }

    @Test
    void replicasThatHangUntilTheDeadlineLeaveTheShardMissingAndAreCancelled() {
        replicas.on("storage-1", hanging()).on("storage-2", hanging()).on("storage-3", hanging());
        StepVerifier.withVirtualTime(() -> reads(Duration.ofMillis(200)).read(SHARD, THREE, QUERY, TIMEOUT))
                .thenAwait(TIMEOUT)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ReplicaReads.ShardUnavailable.class)
                        .hasMessageContaining("storage-1: timed out; storage-2: timed out")
                        .hasMessageNotContaining("storage-3"))
                .verify();
        // one hedge only: the third replica would be asked on a failure, not on slowness
        assertThat(replicas.asked).containsExactly("storage-1", "storage-2");
        assertThat(replicas.cancelled).containsExactlyInAnyOrder("storage-1", "storage-2");
    }

    @Test
    void aShardWithoutAnyInSyncReplicaIsMissing() {
        Partition.ShardPlacement noIsr = new Partition.ShardPlacement(0, "storage-1", List.of("storage-1"), List.of(), 3);
        StepVerifier.withVirtualTime(() -> reads(Duration.ofMillis(200)).read(SHARD, noIsr, QUERY, TIMEOUT))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ReplicaReads.ShardUnavailable.class)
                        .hasMessage("shard p-1/0 has no in-sync replica"))
                .verify();
        assertThat(replicas.asked).isEmpty();
    }
}
