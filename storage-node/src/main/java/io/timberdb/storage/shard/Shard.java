package io.timberdb.storage.shard;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.storage.wal.WalOptions;
import io.timberdb.storage.wal.WriteAheadLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One shard on this node: its write-ahead log plus the in-memory list of its entries that
 * queries scan. The list is rebuilt by replaying the WAL on open and extended by the WAL's
 * writer after each fsync, before the append is acknowledged, so a query sees every
 * acknowledged entry.
 *
 * <p>Thread-safe: appends go through the WAL's queue; queries read the list lock-free.
 */
final class Shard implements Closeable {

    static final String WAL_DIR = "wal";

    private final ShardId id;
    private final EntryList entries;
    private final WriteAheadLog wal;

    private Shard(ShardId id, EntryList entries, WriteAheadLog wal) {
        this.id = id;
        this.entries = entries;
        this.wal = wal;
    }

    /** Opens (creating if needed) the shard in {@code dir}, replaying its WAL. */
    static Shard open(Path dir, ShardId id, WalOptions options) throws IOException {
        EntryList entries = new EntryList();
        WriteAheadLog wal = WriteAheadLog.open(dir.resolve(WAL_DIR), id.toString(), options,
                (baseSequence, batch) -> entries.addAll(batch));
        return new Shard(id, entries, wal);
    }

    /** Appends a batch; completes once it is durable and visible to queries. */
    CompletableFuture<Long> append(List<LogEntry> batch) {
        return wal.append(batch);
    }

    /** Feeds every entry acknowledged before the call to {@code scan}. CPU-bound: call it off the event loop. */
    void scan(NewestFirstScan scan) {
        entries.forEach(scan::accept);
    }

    ShardId id() {
        return id;
    }

    /** Entries held (durable and visible). */
    long entryCount() {
        return entries.size();
    }

    /** Why the shard's WAL went offline, or null. */
    TimberException failure() {
        return wal.failure();
    }

    /** Writes what is queued, then closes the WAL. */
    @Override
    public void close() {
        wal.close();
    }
}
