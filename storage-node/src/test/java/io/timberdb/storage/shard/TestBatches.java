package io.timberdb.storage.shard;

import io.timberdb.model.api.LogEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Batches of small entries with predictable ids, for the replication tests. */
public final class TestBatches {

    private TestBatches() {
    }

    /** {@code count} entries with ids {@code prefix-0..}, a second apart. */
    public static List<LogEntry> batch(String prefix, int count) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(new LogEntry(prefix + "-" + i, Instant.parse("2024-07-01T12:00:00Z").plusSeconds(i), "src",
                    Map.of("k", "v"), "message " + prefix + " " + i));
        }
        return entries;
    }
}
