package io.timberdb.query.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.api.QueryRequest;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.query.control.QueryProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class QueryExecutorTest {

    static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
    static final Partition LOGS = new Partition("p-1", "logs", Map.of(), 30, T0,
            List.of(new Partition.ShardPlacement(0, "storage-1"), new Partition.ShardPlacement(1, "storage-2")));
    static final ClusterViewSource VIEW = ClusterViewSource.fixed(new ClusterView(1, null, List.of(), List.of(LOGS)));

    static LogEntry entry(String id, int second) {
        return new LogEntry(id, T0.plusSeconds(second), "s", Map.of(), "m");
    }

    @Test
    void mergesShardsNewestFirstCutToTheLimitAndCountsAllMatches() {
        ShardReader reader = (node, shard, query) -> Mono.just(shard.shard() == 0
                ? new ShardQueryResult(List.of(entry("a", 5), entry("b", 1)), 10, 2)
                : new ShardQueryResult(List.of(entry("d", 3), entry("c", 3)), 7, 2));
        QueryExecutor executor = new QueryExecutor(VIEW, reader, InstantSource.fixed(T0));
        StepVerifier.create(executor.execute(new QueryRequest(QueryFilter.ALL, List.of("logs"), 3, null)))
                .assertNext(r -> {
                    assertThat(r.entries()).extracting(LogEntry::id).containsExactly("a", "d", "c");
                    assertThat(r.matchedEntries()).isEqualTo(4);
                    assertThat(r.scannedEntries()).isEqualTo(17);
                    assertThat(r.partial()).isFalse();
                    assertThat(r.error()).isNull();
                }).verifyComplete();
    }

    @Test
    void aShardThatFailsMakesTheResultPartialNotWrong() {
        ShardReader reader = (node, shard, query) -> shard.shard() == 1
                ? Mono.error(new TimberException(ErrorCode.UNAVAILABLE, "storage-2 is unreachable"))
                : Mono.just(new ShardQueryResult(List.of(entry("a", 5)), 1, 1));
        QueryExecutor executor = new QueryExecutor(VIEW, reader, InstantSource.fixed(T0));
        StepVerifier.create(executor.execute(new QueryRequest(null, null, null, null)))
                .assertNext(r -> {
                    assertThat(r.partial()).isTrue();
                    assertThat(r.error()).contains("p-1/1").contains("storage-2 is unreachable");
                    assertThat(r.entries()).hasSize(1);
                }).verifyComplete();
    }

    @Test
    void aShardThatCouldNotReadABlockMakesTheResultPartial() {
        ShardReader reader = (node, shard, query) -> Mono.just(new ShardQueryResult(List.of(entry("a" + shard.shard(), 5)), 1, 1,
                shard.shard() == 0 ? List.of("block 00000000000000000000.blk is quarantined") : List.of()));
        QueryExecutor executor = new QueryExecutor(VIEW, reader, InstantSource.fixed(T0));
        StepVerifier.create(executor.execute(new QueryRequest(null, null, null, null)))
                .assertNext(r -> {
                    assertThat(r.partial()).isTrue();
                    assertThat(r.error()).contains("p-1/0").contains("quarantined").doesNotContain("p-1/1");
                    assertThat(r.entries()).hasSize(2);
                }).verifyComplete();
    }

    @Test
    void aQueryWhoseEntriesOutgrowItsMemoryBudgetFailsWholeNotPartial() {
        String big = "x".repeat(10_000);
        ShardReader reader = (node, shard, query) -> Mono.just(new ShardQueryResult(List.of(
                new LogEntry("a" + shard.shard(), T0, "s", Map.of(), big)), 1, 1));
        QueryProperties tight = new QueryProperties(1000, 100, Duration.ofSeconds(10), Duration.ofSeconds(20), 5, 10,
                Duration.ofSeconds(5), DataSize.ofKilobytes(15), DataSize.ofMegabytes(1), Duration.ofMillis(200));
        StepVerifier.create(new QueryExecutor(VIEW, reader, InstantSource.fixed(T0), tight)
                        .execute(new QueryRequest(null, null, null, null)))
                .expectErrorSatisfies(e -> assertThat(((TimberException) e).code()).isEqualTo(ErrorCode.QUERY_MEMORY_EXCEEDED))
                .verify();
        QueryProperties roomy = new QueryProperties(1000, 100, Duration.ofSeconds(10), Duration.ofSeconds(20), 5, 10,
                Duration.ofSeconds(5), DataSize.ofKilobytes(25), DataSize.ofMegabytes(1), Duration.ofMillis(200));
        StepVerifier.create(new QueryExecutor(VIEW, reader, InstantSource.fixed(T0), roomy)
                        .execute(new QueryRequest(null, null, null, null)))
                .assertNext(r -> assertThat(r.entries()).hasSize(2)).verifyComplete();
    }

    @Test
    void theJsonFormRunsAsTheQueryOfTheLanguageItMapsTo() {
        List<ShardQuery> sent = new CopyOnWriteArrayList<>();
        ShardReader reader = (node, shard, query) -> {
            sent.add(query);
            return Mono.just(new ShardQueryResult(List.of(), 0, 0));
        };
        QueryFilter errorsOfA = new QueryFilter(null, "a", Map.of("level", "error"), "timeout");
        StepVerifier.create(new QueryExecutor(VIEW, reader, InstantSource.fixed(T0))
                        .execute(new QueryRequest(errorsOfA, List.of("logs"), 10, null)))
                .assertNext(r -> assertThat(r.partial()).isFalse()).verifyComplete();
        assertThat(sent).hasSize(2).allSatisfy(q -> {
            assertThat(q.query()).isEqualTo(
                    "SELECT * FROM logs WHERE source = 'a' AND tags.level = 'error' AND message CONTAINS 'timeout' LIMIT 10");
            assertThat(q.now()).isEqualTo(T0);
            assertThat(q.limit()).isEqualTo(10);
        });
    }

    @Test
    void anUnknownPartitionIsNotFound() {
        QueryExecutor executor = new QueryExecutor(VIEW, (n, s, q) -> Mono.error(new AssertionError()), InstantSource.fixed(T0));
        StepVerifier.create(executor.execute(new QueryRequest(null, List.of("nope"), null, null)))
                .expectErrorSatisfies(e -> assertThat(((TimberException) e).code()).isEqualTo(ErrorCode.PARTITION_NOT_FOUND))
                .verify();
    }
}
