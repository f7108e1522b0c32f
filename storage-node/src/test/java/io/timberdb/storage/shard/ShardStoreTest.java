package io.timberdb.storage.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2024-07-01T12:00:00Z");
    private static final ShardId SHARD = new ShardId("p-1", 0);

    @TempDir
    Path dataDir;

    private ShardStore store;

    @BeforeEach
    void open() {
        store = new ShardStore(dataDir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static LogEntry entry(String id, int secondsAfterT0, String source, Map<String, String> tags, String message) {
        return new LogEntry(id, T0.plusSeconds(secondsAfterT0), source, tags, message);
    }

    private void append(ShardId shard, LogEntry... entries) {
        store.append(shard, List.of(entries)).block(WAIT);
    }

    private ShardQueryResult query(ShardId shard, QueryFilter filter, int limit) {
        return store.query(shard, new ShardQuery(filter, limit)).block(WAIT);
    }

    private void appendSample() {
        append(SHARD,
                entry("id-01", 1, "web", Map.of("env", "prod", "region", "eu"), "GET /a 200"),
                entry("id-02", 2, "web", Map.of("env", "dev"), "GET /b 500 error"),
                entry("id-03", 3, "api", Map.of("env", "prod"), "timeout error"),
                entry("id-04", 4, "api", Map.of(), "ok"));
        append(SHARD, entry("id-05", 5, "web", Map.of("env", "prod"), "POST /c error"));
    }

    @Test
    void queryFiltersBySourceTagsMessageAndTimeRange() {
        appendSample();
        assertThat(query(SHARD, new QueryFilter(null, "web", Map.of(), null), 10).entries())
                .extracting(LogEntry::id).containsExactly("id-05", "id-02", "id-01");
        assertThat(query(SHARD, new QueryFilter(null, null, Map.of("env", "prod"), null), 10).entries())
                .extracting(LogEntry::id).containsExactly("id-05", "id-03", "id-01");
        assertThat(query(SHARD, new QueryFilter(null, null, Map.of(), "error"), 10).entries())
                .extracting(LogEntry::id).containsExactly("id-05", "id-03", "id-02");
        List<String> range = List.of(T0.plusSeconds(2).toString(), Long.toString(T0.plusSeconds(4).toEpochMilli()));
        assertThat(query(SHARD, new QueryFilter(range, null, Map.of(), null), 10).entries())
                .as("start inclusive, end exclusive").extracting(LogEntry::id).containsExactly("id-03", "id-02");
        assertThat(query(SHARD, new QueryFilter(range, "web", Map.of("env", "dev"), "500"), 10).entries())
                .extracting(LogEntry::id).containsExactly("id-02");
        assertThat(query(SHARD, null, 10).entries()).hasSize(5);
    }

    @Test
    void returnsNewestFirstWithTiesBrokenByIdDescending() {
        append(SHARD,
                entry("b", 10, "s", Map.of(), "m"),
                entry("a", 10, "s", Map.of(), "m"),
                entry("z", 5, "s", Map.of(), "m"),
                entry("c", 10, "s", Map.of(), "m"),
                entry("y", 20, "s", Map.of(), "m"));
        assertThat(query(SHARD, QueryFilter.ALL, 10).entries()).extracting(LogEntry::id)
                .containsExactly("y", "c", "b", "a", "z");
    }

    @Test
    void limitKeepsTheNewestMatchesAndCountsAllOfThem() {
        List<LogEntry> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(entry(String.format("id-%04d", i), (i * 7919) % 1000, i % 2 == 0 ? "even" : "odd", Map.of(), "m"));
        }
        store.append(SHARD, many).block(WAIT);
        ShardQueryResult result = query(SHARD, new QueryFilter(null, "even", Map.of(), null), 3);
        assertThat(result.scanned()).isEqualTo(1000);
        assertThat(result.matched()).isEqualTo(500);
        assertThat(result.entries()).extracting(LogEntry::timestamp)
                .containsExactly(T0.plusSeconds(998), T0.plusSeconds(996), T0.plusSeconds(994));
        ShardQueryResult none = query(SHARD, QueryFilter.ALL, 0);
        assertThat(none.entries()).isEmpty();
        assertThat(none.matched()).isEqualTo(1000);
    }

    @Test
    void aNegativeLimitOrABadTimeRangeIsAnInvalidField() {
        appendSample();
        assertThatThrownBy(() -> query(SHARD, QueryFilter.ALL, -1)).isInstanceOfSatisfying(TimberException.class,
                e -> assertThat(e.field()).isEqualTo("limit"));
        assertThatThrownBy(() -> query(SHARD, new QueryFilter(java.util.Arrays.asList("yesterday", null),
                null, Map.of(), null), 10)).isInstanceOfSatisfying(TimberException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD));
    }

    @Test
    void aShardNeverWrittenAnswersEmptyAndCreatesNothing() {
        ShardQueryResult result = query(new ShardId("nothing-here", 3), QueryFilter.ALL, 10);
        assertThat(result.entries()).isEmpty();
        assertThat(result.scanned()).isZero();
        assertThat(dataDir.resolve("shards/nothing-here")).doesNotExist();
    }

    @Test
    void createsAShardOnFirstAppendAndReopensEveryShardOnStart() {
        appendSample();
        append(new ShardId("p-2", 7), entry("other", 1, "s", Map.of(), "m"));
        assertThat(dataDir.resolve("shards/p-1/0/wal")).isDirectory();
        assertThat(dataDir.resolve("shards/p-2/7/wal")).isDirectory();
        store.close();

        store = new ShardStore(dataDir);
        ShardStore.Stats stats = store.stats();
        assertThat(stats.shardsOpen()).as("opened eagerly").isEqualTo(2);
        assertThat(stats.entries()).isEqualTo(6);
        assertThat(stats.shardsOffline()).isEmpty();
        assertThat(query(SHARD, QueryFilter.ALL, 10).entries()).extracting(LogEntry::id)
                .containsExactly("id-05", "id-04", "id-03", "id-02", "id-01");
    }

    @Test
    void aStoreOpenedInTheBackgroundServesEveryShardOnceReplayed() {
        appendSample();
        append(new ShardId("p-2", 7), entry("other", 1, "s", Map.of(), "m"));
        store.close();

        store = ShardStore.openInBackground(dataDir, StoreOptions.DEFAULTS);
        // a query may come before the replay is over: it waits for its shard
        assertThat(query(SHARD, QueryFilter.ALL, 10).entries()).extracting(LogEntry::id)
                .containsExactly("id-05", "id-04", "id-03", "id-02", "id-01");
        store.opened().join();
        ShardStore.Stats stats = store.stats();
        assertThat(stats.shardsOpening()).isZero();
        assertThat(stats.shardsOpen()).isEqualTo(2);
        assertThat(stats.entries()).isEqualTo(6);
        append(new ShardId("p-2", 7), entry("later", 2, "s", Map.of(), "m"));
        assertThat(query(new ShardId("p-2", 7), QueryFilter.ALL, 10).entries()).extracting(LogEntry::id)
                .containsExactly("later", "other");
    }

    @Test
    void rejectsPartitionIdsThatAreNotSafeDirectoryNames() {
        for (String bad : List.of("..", "../etc", "a/b", "a\\b", "", ".hidden")) {
            assertThatThrownBy(() -> append(new ShardId(bad, 0), entry("x", 1, "s", Map.of(), "m")))
                    .as(bad).isInstanceOfSatisfying(TimberException.class,
                            e -> assertThat(e.field()).isEqualTo("partition"));
        }
        assertThatThrownBy(() -> append(new ShardId("ok", -1), entry("x", 1, "s", Map.of(), "m")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("shard"));
    }

    @Test
    void aCorruptShardStaysOfflineWhileTheOthersServe() throws Exception {
        appendSample();
        append(new ShardId("healthy", 0), entry("h", 1, "s", Map.of(), "m"));
        store.close();
        Path segment = dataDir.resolve("shards/p-1/0/wal/00000000000000000000.wal");
        Files.write(segment, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21});

        store = new ShardStore(dataDir);
        assertThat(store.stats().shardsOpen()).isEqualTo(1);
        assertThat(store.stats().shardsOffline()).singleElement().asString().startsWith("p-1/0: ");
        assertThatThrownBy(() -> append(SHARD, entry("x", 1, "s", Map.of(), "m")))
                .isInstanceOfSatisfying(TimberException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(query(new ShardId("healthy", 0), QueryFilter.ALL, 10).entries()).hasSize(1);
    }

    @Test
    void anAppendCompletesOnlyOnceQueriesSeeIt() {
        for (int i = 0; i < 50; i++) {
            append(SHARD, entry("e" + i, i, "s", Map.of(), "m"));
            assertThat(query(SHARD, QueryFilter.ALL, 1).entries()).extracting(LogEntry::id).containsExactly("e" + i);
        }
    }

    @Test
    void nullEntriesAreRejectedAndTheNodeArgumentIsIgnored() {
        List<LogEntry> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> store.append(SHARD, withNull).block(WAIT)).isInstanceOf(TimberException.class);
        store.append("any-node", SHARD, List.of(entry("n", 1, "s", Map.of(), "m"))).block(WAIT);
        assertThat(store.query("other-node", SHARD, new ShardQuery(QueryFilter.ALL, 5)).block(WAIT).entries())
                .hasSize(1);
    }

    @Test
    void aClosedStoreRefusesWork() {
        store.close();
        assertThatThrownBy(() -> append(SHARD, entry("x", 1, "s", Map.of(), "m")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }
}
