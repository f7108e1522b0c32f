package io.timberdb.storage.wal;

import io.timberdb.model.api.LogEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small entry batches and a replay helper for the WAL tests. */
final class TestEntries {

    private TestEntries() {
    }

    static LogEntry entry(String id) {
        return new LogEntry(id, Instant.ofEpochMilli(1_700_000_000_000L), "test", Map.of("k", "v"), "message " + id);
    }

    /** {@code count} entries with ids {@code prefix-0..}. */
    static List<LogEntry> batch(String prefix, int count) {
        List<LogEntry> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(entry(prefix + "-" + i));
        }
        return batch;
    }

    /** Opens the WAL in {@code dir}, returns every replayed entry and closes it again. */
    static List<LogEntry> replay(Path dir) throws IOException {
        List<LogEntry> replayed = new ArrayList<>();
        WriteAheadLog.open(dir, "replay", WalOptions.DEFAULTS, (base, entries) -> replayed.addAll(entries)).close();
        return replayed;
    }
}
