package io.timberdb.query.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LanguageQueryRequest;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.QueryRequest;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.query.PartialAggregates;
import io.timberdb.model.query.QueryParser;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.query.control.QueryProgress;
import io.timberdb.query.control.QueryProperties;
import io.timberdb.query.plan.ReplicaReadsTest.FakeReplicas;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Queries over shards with three replicas each, through the executor: missing shards make the
 * answer partial and are listed, a shard is merged from one replica only, a query error fails the
 * query as it is.
 */
class ReplicatedQueryTest {

    static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
    /** Shard 0 on storage-1 (leader), 2, 3; shard 1 on storage-4 (leader), 5, 6; all in sync. */
    static final Partition LOGS = new Partition("p-1", "logs", Map.of(), 30, T0, List.of(
            new Partition.ShardPlacement(0, List.of("storage-1", "storage-2", "storage-3"), 2),
            new Partition.ShardPlacement(1, List.of("storage-4", "storage-5", "storage-6"), 2)), null, null, null,
            null, 3, 2);
    static final ClusterViewSource VIEW = ClusterViewSource.fixed(new ClusterView(1, null, List.of(), List.of(LOGS)));

    final FakeReplicas replicas = new FakeReplicas();

    QueryExecutor executor() {
        return new QueryExecutor(VIEW, replicas, InstantSource.fixed(T0),
                QueryProperties.DEFAULTS.withResultCacheSize(DataSize.ofBytes(0)).withHedgeDelay(Duration.ofMillis(200)));
    }

    static LogEntry entry(String id, int second) {
        return new LogEntry(id, T0.minusSeconds(second), "web", Map.of("level", "error"), "m " + id);
    }

    static Function<ShardQuery, Mono<ShardQueryResult>> answering(Duration delay,
                                                                                         LogEntry... entries) {
        return q -> Mono.delay(delay).map(tick -> new ShardQueryResult(List.of(entries), 10, entries.length));
    }

    static Function<ShardQuery, Mono<ShardQueryResult>> refused() {
        return q -> Mono.error(new ConnectException("Connection refused"));
    }

    @Test
    void aShardWhoseReplicasAreAllDownIsListedAndTheAnswerIsPartial() {
        replicas.on("storage-1", answering(Duration.ZERO, entry("a", 1)))
                .on("storage-4", refused()).on("storage-5", refused()).on("storage-6", refused());
        StepVerifier.withVirtualTime(() -> executor().execute(
                        new LanguageQueryRequest("SELECT * FROM logs", null, null), "q-1", QueryProgress.untracked()))
                .assertNext(r -> {
                    assertThat(r.partial()).isTrue();
                    assertThat(r.missingShards()).containsExactly("p-1/1");
                    assertThat(r.error()).contains("p-1/1").contains("storage-4: java.net.ConnectException")
                            .contains("storage-6: java.net.ConnectException");
                    assertThat(r.entries()).extracting(LogEntry::id).containsExactly("a");
                })
                .verifyComplete();
        StepVerifier.withVirtualTime(() -> executor().execute(new QueryRequest(null, null, null, null)))
                .assertNext(r -> {
                    assertThat(r.partial()).isTrue();
                    assertThat(r.missingShards()).containsExactly("p-1/1");
                })
                .verifyComplete();
    }

    @Test
    void aCompleteAnswerFromFailedOverReplicasIsNotPartial() {
        replicas.on("storage-1", refused()).on("storage-2", answering(Duration.ZERO, entry("a", 1)))
                .on("storage-4", answering(Duration.ZERO, entry("b", 2)));
        StepVerifier.withVirtualTime(() -> executor().execute(new QueryRequest(null, null, null, null)))
                .assertNext(r -> {
                    assertThat(r.partial()).isFalse();
                    assertThat(r.missingShards()).isNull();
                    assertThat(r.error()).isNull();
                    assertThat(r.entries()).extracting(LogEntry::id).containsExactly("a", "b");
                })
                .verifyComplete();
    }

    @Test
    void aShardAnsweredByTwoReplicasAtOnceIsMergedOnceEntriesAndCounts() {
        // storage-1 answers at 300 ms; the hedge to storage-2, sent at 200 ms, answers at 300 ms too
        replicas.on("storage-1", answering(Duration.ofMillis(300), entry("a", 1), entry("b", 2)))
                .on("storage-2", answering(Duration.ofMillis(100), entry("a", 1), entry("b", 2)))
                .on("storage-4", answering(Duration.ZERO, entry("c", 3)));
        StepVerifier.withVirtualTime(() -> executor().execute(
                        new LanguageQueryRequest("SELECT * FROM logs", null, null), "q-1", QueryProgress.untracked()))
                .thenAwait(Duration.ofMillis(300))
                .assertNext(r -> {
                    assertThat(r.entries()).extracting(LogEntry::id).containsExactly("a", "b", "c");
                    assertThat(r.matchedEntries()).isEqualTo(3);
                    assertThat(r.scannedEntries()).isEqualTo(20);
                })
                .verifyComplete();
        assertThat(replicas.asked).contains("storage-1", "storage-2");
    }

    /** Five matching entries as the partial groups of the query sent, after {@code delay}. */
    static Function<ShardQuery, Mono<ShardQueryResult>> countingFive(Duration delay) {
        return q -> {
            PartialAggregates groups = PartialAggregates.of(QueryParser.parse(q.query()));
            for (int i = 0; i < 5; i++) {
                groups.add(entry("e" + i, i));
            }
            return Mono.delay(delay).map(tick -> new ShardQueryResult(List.of(), 5, 5, List.of(), groups.groups(), null));
        };
    }

    @Test
    void anAggregateCountsAShardOnceWhenAHedgeRacesItsReplica() {
        // as above: storage-1 and the hedge to storage-2 both answer at 300 ms
        replicas.on("storage-1", countingFive(Duration.ofMillis(300))).on("storage-2", countingFive(Duration.ofMillis(100)))
                .on("storage-4", countingFive(Duration.ZERO));
        StepVerifier.withVirtualTime(() -> executor().execute(
                        new LanguageQueryRequest("SELECT count(*) FROM logs", null, null), "q-1", QueryProgress.untracked()))
                .thenAwait(Duration.ofMillis(300))
                .assertNext(r -> {
                    assertThat(r.rows()).containsExactly(List.of(10L));
                    assertThat(r.matchedEntries()).isEqualTo(10);
                })
                .verifyComplete();
        assertThat(replicas.asked).contains("storage-1", "storage-2");
    }

    @Test
    void aQueryErrorOfAReplicaFailsTheQueryAsItIsWithoutFailover() {
        replicas.on("storage-1", q -> Mono.error(new TimberException(ErrorCode.QUERY_INVALID, "unknown function", "query")))
                .on("storage-2", answering(Duration.ZERO, entry("a", 1)))
                .on("storage-4", answering(Duration.ZERO, entry("b", 1)));
        StepVerifier.withVirtualTime(() -> executor().execute(
                        new LanguageQueryRequest("SELECT * FROM logs", null, null), "q-1", QueryProgress.untracked()))
                .expectErrorSatisfies(e -> {
                    assertThat(((TimberException) e).code()).isEqualTo(ErrorCode.QUERY_INVALID);
                    assertThat(e).hasMessage("unknown function");
                })
                .verify();
        assertThat(replicas.asked).doesNotContain("storage-2");
    }
}
