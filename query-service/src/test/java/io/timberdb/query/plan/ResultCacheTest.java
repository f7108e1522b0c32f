package io.timberdb.query.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.timberdb.model.api.LanguageQueryRequest;
import io.timberdb.model.api.LanguageQueryResponse;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.api.QueryRequest;
import io.timberdb.model.api.QueryResponse;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.query.EntryFilter;
import io.timberdb.model.query.QueryParser;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.model.shard.ShardVersion;
import io.timberdb.query.control.QueryProgress;
import io.timberdb.query.control.QueryProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;

/** The result cache through the executor, over in-memory shards that keep a data version as storage nodes do. */
class ResultCacheTest {

    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    static final Partition LOGS = new Partition("p-1", "logs", Map.of(), 30, T0,
            List.of(new Partition.ShardPlacement(0, "storage-1"), new Partition.ShardPlacement(1, "storage-2")));
    static final Partition AUDIT = new Partition("p-2", "audit", Map.of(), 30, T0,
            List.of(new Partition.ShardPlacement(0, "storage-1")));
    static final ClusterViewSource VIEW = ClusterViewSource.fixed(new ClusterView(1, null, List.of(), List.of(LOGS, AUDIT)));

    /**
     * Shards in memory: each answers its entries that match the query's WHERE (newest first, cut to
     * the limit) with its version, which every append bumps, as a storage node's shard does.
     */
    static final class FakeShards implements ShardReader {
        final Map<ShardId, List<LogEntry>> entries = new ConcurrentHashMap<>();
        final Map<ShardId, AtomicInteger> versions = new ConcurrentHashMap<>();
        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger versionRequests = new AtomicInteger();
        final Set<ShardId> failing = ConcurrentHashMap.newKeySet();

        void append(ShardId shard, LogEntry entry) {
            entries.computeIfAbsent(shard, s -> new ArrayList<>()).add(entry);
            versions.computeIfAbsent(shard, s -> new AtomicInteger()).incrementAndGet();
        }

        ShardVersion version(ShardId shard) {
            return new ShardVersion(42, versions.computeIfAbsent(shard, s -> new AtomicInteger()).get());
        }

        @Override
        public Mono<ShardQueryResult> query(String node, ShardId shard, ShardQuery query) {
            queries.incrementAndGet();
            if (failing.contains(shard)) {
                return Mono.error(new TimberException(ErrorCode.UNAVAILABLE, node + " is unreachable"));
            }
            ShardVersion version = version(shard);
            EntryFilter where = EntryFilter.of(QueryParser.parse(query.query()).where(), query.now());
            List<LogEntry> matches = entries.getOrDefault(shard, List.of()).stream().filter(where)
                    .sorted(LogEntry.NEWEST_FIRST).toList();
            List<LogEntry> page = matches.subList(0, Math.min(query.limit(), matches.size()));
            return Mono.just(new ShardQueryResult(page, matches.size(), matches.size()).withVersion(version));
        }

        @Override
        public Mono<ShardVersion> version(String node, ShardId shard) {
            versionRequests.incrementAndGet();
            return failing.contains(shard) ? Mono.error(new TimberException(ErrorCode.UNAVAILABLE, node + " is unreachable"))
                    : Mono.just(version(shard));
        }
    }

    final FakeShards shards = new FakeShards();
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final InstantSource clock = now::get;

    static LogEntry entry(String id, int secondsBeforeT0) {
        return new LogEntry(id, T0.minusSeconds(secondsBeforeT0), "web", Map.of(), "GET /" + id);
    }

    QueryExecutor executor(DataSize cacheSize) {
        return new QueryExecutor(VIEW, shards, clock, QueryProperties.DEFAULTS.withResultCacheSize(cacheSize), metrics);
    }

    /** An executor with a cache of {@code size}, shard p-1/0 holding entry 'a'. */
    QueryExecutor holdingA(DataSize size) {
        shards.append(new ShardId("p-1", 0), entry("a", 10));
        return executor(size);
    }

    static LanguageQueryResponse run(QueryExecutor executor, String query) {
        return executor.execute(new LanguageQueryRequest(query, null, null), "q", QueryProgress.untracked())
                .block(Duration.ofSeconds(5));
    }

    /** The ids {@code SELECT * FROM logs} answers. */
    static List<String> logs(QueryExecutor executor) {
        return ids(run(executor, "SELECT * FROM logs"));
    }

    static List<String> ids(LanguageQueryResponse response) {
        return response.entries().stream().map(LogEntry::id).toList();
    }

    double lookups(String result) {
        return metrics.counter("timberdb.query.result.cache", "result", result).count();
    }

    @Test
    void aRepeatedQueryIsAnsweredFromTheCacheAfterOnlyAskingTheShardsVersions() {
        shards.append(new ShardId("p-1", 0), entry("a", 10));
        shards.append(new ShardId("p-1", 1), entry("b", 20));
        QueryExecutor executor = executor(DataSize.ofMegabytes(1));
        LanguageQueryResponse first = run(executor, "SELECT * FROM logs WHERE source = 'web'");
        assertThat(shards.queries).hasValue(2);

        LanguageQueryResponse second = executor.execute(new LanguageQueryRequest("select * from logs where source = 'web'",
                null, null), "q-2", QueryProgress.untracked()).block(Duration.ofSeconds(5));
        assertThat(shards.queries).as("the shards are not asked the query again").hasValue(2);
        assertThat(shards.versionRequests).as("only their versions").hasValue(2);
        assertThat(ids(second)).isEqualTo(ids(first)).containsExactly("a", "b");
        assertThat(second.id()).isEqualTo("q-2");
        assertThat(second.matchedEntries()).isEqualTo(2);
        assertThat(lookups("hit")).isEqualTo(1);
        assertThat(lookups("miss")).isEqualTo(1);
    }

    @Test
    void anAppendToAShardTheQueryReadsMakesTheNextAnswerIncludeIt() {
        QueryExecutor executor = holdingA(DataSize.ofMegabytes(1));
        assertThat(logs(executor)).containsExactly("a");

        shards.append(new ShardId("p-1", 1), entry("b", 5));
        assertThat(logs(executor)).containsExactly("b", "a");
        assertThat(shards.queries).as("asked again").hasValue(4);
        assertThat(lookups("stale")).isEqualTo(1);
        assertThat(logs(executor)).containsExactly("b", "a");
        assertThat(lookups("hit")).isEqualTo(1);
    }

    @Test
    void aChangeToAShardTheQueryDoesNotReadLeavesItsAnswerCached() {
        QueryExecutor executor = holdingA(DataSize.ofMegabytes(1));
        run(executor, "SELECT * FROM logs");
        shards.append(new ShardId("p-2", 0), entry("x", 1));
        assertThat(logs(executor)).containsExactly("a");
        assertThat(lookups("hit")).isEqualTo(1);
        assertThat(ids(run(executor, "SELECT * FROM *"))).as("another query").containsExactly("x", "a");
    }

    @Test
    void aQueryUsingNowIsNotServedAnAnswerOfAnEarlierNow() {
        shards.append(new ShardId("p-1", 0), entry("a", 30));
        QueryExecutor executor = executor(DataSize.ofMegabytes(1));
        String lastMinute = "SELECT * FROM logs WHERE time > now() - 1m";
        assertThat(ids(run(executor, lastMinute))).containsExactly("a");

        now.set(T0.plusSeconds(60)); // nothing written: every shard is at the same version
        assertThat(ids(run(executor, lastMinute))).as("'a' is now 90 s old").isEmpty();
        assertThat(shards.queries).hasValue(4);
        assertThat(lookups("hit") + lookups("miss") + lookups("stale")).as("not looked up at all").isZero();
    }

    @Test
    void aPartialAnswerIsNotCached() {
        ShardId second = new ShardId("p-1", 1);
        shards.append(new ShardId("p-1", 0), entry("a", 10));
        shards.append(second, entry("b", 5));
        shards.failing.add(second);
        QueryExecutor executor = executor(DataSize.ofMegabytes(1));
        LanguageQueryResponse partial = run(executor, "SELECT * FROM logs");
        assertThat(partial.partial()).isTrue();
        assertThat(ids(partial)).containsExactly("a");

        shards.failing.remove(second);
        LanguageQueryResponse whole = run(executor, "SELECT * FROM logs");
        assertThat(whole.partial()).isFalse();
        assertThat(ids(whole)).containsExactly("b", "a");
        assertThat(lookups("miss")).as("nothing was stored the first time").isEqualTo(2);
    }

    @Test
    void aShardThatCannotTellItsVersionNowMakesTheCachedAnswerAMiss() {
        ShardId second = new ShardId("p-1", 1);
        shards.append(second, entry("b", 5));
        QueryExecutor executor = executor(DataSize.ofMegabytes(1));
        run(executor, "SELECT * FROM logs");
        shards.failing.add(second);
        LanguageQueryResponse answer = run(executor, "SELECT * FROM logs");
        assertThat(answer.partial()).as("ran again, and the failure shows").isTrue();
        assertThat(lookups("stale")).isEqualTo(1);
    }

    @Test
    void aDisabledCacheAsksTheShardsEveryTime() {
        QueryExecutor executor = holdingA(DataSize.ofBytes(0));
        assertThat(logs(executor)).containsExactly("a");
        assertThat(logs(executor)).containsExactly("a");
        shards.append(new ShardId("p-1", 1), entry("b", 5));
        assertThat(logs(executor)).containsExactly("b", "a");
        assertThat(shards.queries).hasValue(6);
        assertThat(shards.versionRequests).hasValue(0);
    }

    @Test
    void explainIsNeverCached() {
        QueryExecutor executor = executor(DataSize.ofMegabytes(1));
        run(executor, "EXPLAIN SELECT * FROM logs");
        run(executor, "EXPLAIN SELECT * FROM logs");
        assertThat(shards.queries).hasValue(4);
        assertThat(shards.versionRequests).hasValue(0);
    }

    @Test
    void theJsonFormIsCachedAndInvalidatedAlike() {
        QueryExecutor executor = holdingA(DataSize.ofMegabytes(1));
        QueryRequest request = new QueryRequest(QueryFilter.ALL, List.of("logs"), 10, null);
        executor.execute(request).block(Duration.ofSeconds(5));
        QueryResponse again = executor.execute(request).block(Duration.ofSeconds(5));
        assertThat(again.entries()).extracting(LogEntry::id).containsExactly("a");
        assertThat(shards.queries).hasValue(2);

        shards.append(new ShardId("p-1", 0), entry("c", 1));
        assertThat(executor.execute(request).block(Duration.ofSeconds(5)).entries()).extracting(LogEntry::id)
                .containsExactly("c", "a");
    }

    @Test
    void readersThatDoNotReportVersionsAreNeverCached() {
        AtomicInteger queries = new AtomicInteger();
        ShardReader old = (node, shard, query) -> {
            queries.incrementAndGet();
            return Mono.just(new ShardQueryResult(List.of(entry("a" + shard.shard(), 1)), 1, 1));
        };
        QueryExecutor executor = new QueryExecutor(VIEW, old, clock, QueryProperties.DEFAULTS, metrics);
        run(executor, "SELECT * FROM logs");
        run(executor, "SELECT * FROM logs");
        assertThat(queries).hasValue(4);
    }

    @Test
    void usesNowLooksThroughEveryConditionOfWhere() {
        assertThat(ResultCache.usesNow(QueryParser.parse("SELECT * FROM * WHERE source = 'a' OR NOT time "
                + "BETWEEN '2026-01-01T00:00:00Z' AND now()").where())).isTrue();
        assertThat(ResultCache.usesNow(QueryParser.parse("SELECT * FROM * WHERE source = 'a' AND time "
                + "> '2026-01-01T00:00:00Z'").where())).isFalse();
        assertThat(ResultCache.usesNow(QueryParser.parse("SELECT * FROM *").where())).isFalse();
    }
}
