package io.timberdb.storage.shard;

import io.timberdb.model.api.LogEntry;
import java.util.List;

/**
 * The entries of a shard not yet sealed into a block: those with sequence numbers from
 * {@link #startSequence()} on, in memory for queries, durable in the WAL.
 *
 * <p>Thread-safety: as {@link EntryList} (one appender, any number of readers); the figures for
 * rotation are written by the appender and read by the sealer, hence volatile.
 */
final class ActiveBlock {

    /** Bytes counted per entry on top of its strings: id, timestamp and references. */
    private static final int ENTRY_OVERHEAD = 48;

    private final long startSequence;
    private final EntryList entries = new EntryList();
    /** Approximate bytes of entry data held; volatile: written by the appender, read by the sealer. */
    private volatile long bytes;
    /** nanoTime of the first entry, 0 while empty; volatile for the same reason. */
    private volatile long firstAt;

    ActiveBlock(long startSequence) {
        this.startSequence = startSequence;
    }

    /** Appends entries (single appender). */
    void addAll(List<LogEntry> batch, long now) {
        if (batch.isEmpty()) {
            return;
        }
        long added = 0;
        for (LogEntry e : batch) {
            added += sizeOf(e);
        }
        if (firstAt == 0) {
            firstAt = now;
        }
        entries.addAll(batch);
        bytes += added;
    }

    long startSequence() {
        return startSequence;
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }

    /** nanoTime of the first entry; meaningless while empty. */
    long firstAt() {
        return firstAt;
    }

    EntryList entries() {
        return entries;
    }

    /** A new active block that starts after the first {@code sealed} entries and holds the rest. */
    ActiveBlock after(int sealed, long now) {
        ActiveBlock next = new ActiveBlock(startSequence + sealed);
        next.addAll(entries.copy(sealed, entries.size()), now);
        return next;
    }

    static long sizeOf(LogEntry e) {
        long size = ENTRY_OVERHEAD + e.source().length() + e.message().length();
        for (var tag : e.tags().entrySet()) {
            size += tag.getKey().length() + tag.getValue().length();
        }
        return size;
    }
}
