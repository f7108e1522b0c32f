package io.timberdb.storage.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.query.PartialGroup;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aggregates over sealed pages that hold many label combinations: the per-page counting by
 * (source, tag set, bin) (LabelCounts) must give the counts of counting entry by entry, however
 * many combinations a page has, on one scan thread or several.
 */
class ShardScanGroupsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ShardId SHARD = new ShardId("groups", 0);
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void countsByLabelsMatchCountingEntryByEntry() {
        Random random = new Random(7);
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String source = "src-" + random.nextInt(300);
            Map<String, String> tags = random.nextInt(10) == 0 ? Map.of() : Map.of("level", "l" + random.nextInt(7));
            entries.add(new LogEntry(String.format("%08d", i), T0.plusSeconds(random.nextInt(86_400)), source, tags, "m " + i));
        }
        try (ShardStore store = new ShardStore(dir)) {
            for (int from = 0; from < entries.size(); from += 5_000) {
                store.append(SHARD, entries.subList(from, from + 5_000)).block(WAIT);
            }
        }
        Instant from = T0.plusSeconds(30_000);
        Map<List<String>, Long> byLevel = new HashMap<>();
        Map<List<String>, Long> bySourceSince = new HashMap<>();
        Map<List<String>, Long> bySourceAndLevel = new HashMap<>();
        Map<List<String>, Long> byBinAndLevel = new HashMap<>();
        for (LogEntry e : entries) {
            String level = e.tags().get("level");
            byLevel.merge(java.util.Arrays.asList(level), 1L, Long::sum);
            if (!e.timestamp().isBefore(from)) {
                bySourceSince.merge(List.of(e.source()), 1L, Long::sum);
            }
            bySourceAndLevel.merge(java.util.Arrays.asList(e.source(), level), 1L, Long::sum);
            long bin = Math.floorDiv(e.timestamp().toEpochMilli(), 300_000L) * 300_000L;
            byBinAndLevel.merge(java.util.Arrays.asList(Long.toString(bin), level), 1L, Long::sum);
        }
        try (ShardStore store = new ShardStore(dir)) { // reopened: every entry is in a sealed block
            assertThat(store.stats().blocks()).isPositive();
            ShardQueryResult all = query(store, "SELECT count(*) FROM groups");
            assertThat(all.matched()).isEqualTo(entries.size());
            assertThat(counts(query(store, "SELECT source, level, count(*) FROM groups GROUP BY source, level")))
                    .isEqualTo(bySourceAndLevel);
            // one label, no condition but time: pages wholly in range are counted from the postings
            ShardQueryResult levels = query(store, "SELECT level, count(*) FROM groups GROUP BY level");
            assertThat(counts(levels)).isEqualTo(byLevel);
            assertThat(levels.matched()).isEqualTo(entries.size());
            assertThat(counts(query(store, "SELECT source, count(*) FROM groups WHERE time >= '" + from
                    + "' GROUP BY source"))).isEqualTo(bySourceSince);
            long since = bySourceSince.values().stream().mapToLong(Long::longValue).sum();
            ShardQueryResult total = query(store, "SELECT count(*) FROM groups WHERE time >= '" + from + "'");
            assertThat(counts(total)).isEqualTo(Map.of(List.of(), since));
            assertThat(total.matched()).isEqualTo(since);
            ShardQueryResult binned = query(store, "SELECT bin(time, 5m), level, count(*) FROM groups GROUP BY bin(time, 5m), level");
            assertThat(binned.matched()).isEqualTo(entries.size());
            assertThat(counts(binned)).isEqualTo(byBinAndLevel);
        }
    }

    private static ShardQueryResult query(ShardStore store, String text) {
        return store.query(SHARD, new ShardQuery(null, 1_000_000, text, NOW)).block(WAIT);
    }

    /** Each group's key and its count(*). */
    private static Map<List<String>, Long> counts(ShardQueryResult result) {
        Map<List<String>, Long> counts = new HashMap<>();
        for (PartialGroup group : result.groups()) {
            counts.put(group.key(), group.states().get(group.states().size() - 1).count());
        }
        return counts;
    }
}
