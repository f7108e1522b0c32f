package io.timberdb.storage.shard;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.wal.EncodedEntries;
import io.timberdb.storage.wal.EncodedFilter;
import io.timberdb.storage.wal.EntryDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The entries of a shard not yet sealed into a block: those with sequence numbers from
 * {@link #startSequence()} on, durable in the WAL and held here for queries.
 *
 * <p>They are held as the WAL batches that brought them ({@link EncodedEntries}: the bytes the WAL
 * wrote, not one object graph per entry). An active block therefore costs the heap its encoded
 * size, which {@link #bytes()} reports exactly and {@link BlockRotation} bounds, and costs the
 * garbage collector a few large arrays: entries that all live until the next seal would otherwise
 * be copied from young to old generation and traced again and again. Seals decode every entry, a
 * page at a time ({@link SealInput}); queries decode the entries their filter may match
 * ({@link EncodedFilter}).
 *
 * <p>Thread-safety: one appender ({@link #add}; the WAL's writer thread, under the shard's swap
 * lock), any number of readers without locks. The appender fills a slot of the segment directory,
 * then publishes it with a volatile write of {@link #segmentCount}; a reader that reads the count
 * first sees every segment below it. A full directory is replaced by a larger copy before the
 * count that needs it is published.
 */
final class ActiveBlock {

    /** Entries {@code [from, batch.size())} of one durable batch. */
    private record Segment(EncodedEntries batch, int from) {
        int count() {
            return batch.size() - from;
        }
    }

    private final long startSequence;
    /** The segment directory; volatile because a grown copy replaces it. */
    private volatile Segment[] segments = new Segment[16];
    /** Segments published; volatile: the publication point for readers. */
    private volatile int segmentCount;
    /** Entries published; written after {@link #segmentCount}, so a reader that sees a size sees its segments. */
    private volatile int size;
    /** Encoded bytes of the entries held; volatile: written by the appender, read by the sealer. */
    private volatile long bytes;
    /** nanoTime of the first entry, 0 while empty; volatile for the same reason. */
    private volatile long firstAt;

    ActiveBlock(long startSequence) {
        this.startSequence = startSequence;
    }

    /** Appends entries {@code from} on of {@code batch} (single appender). */
    void add(EncodedEntries batch, int from, long now) {
        if (from >= batch.size()) {
            return;
        }
        Segment[] dir = segments;
        int n = segmentCount;
        if (n == dir.length) {
            dir = Arrays.copyOf(dir, n * 2);
            segments = dir;
        }
        dir[n] = new Segment(batch, from);
        if (firstAt == 0) {
            firstAt = now;
        }
        bytes += batch.encodedLength(from, batch.size());
        segmentCount = n + 1;
        size += batch.size() - from;
    }

    long startSequence() {
        return startSequence;
    }

    /**
     * The entries held from sequence {@code from} on, as pieces of the batches that brought them,
     * in order, adding pieces until they reach {@code maxBytes} (at least one piece when any).
     */
    void collect(long from, long maxBytes, List<LogPiece> out) {
        int n = segmentCount; // read first: the segments below it are published
        Segment[] dir = segments;
        long base = startSequence;
        long taken = 0;
        for (int i = 0; i < n && taken < maxBytes; i++) {
            Segment segment = dir[i];
            long end = base + segment.count();
            if (end > from) {
                int skip = (int) Math.max(0, from - base);
                EncodedEntries piece = segment.batch().range(segment.from() + skip, segment.batch().size());
                out.add(new LogPiece(base + skip, piece));
                taken += piece.encodedLength(0, piece.size());
            }
            base = end;
        }
    }

    /** Entries held. */
    int size() {
        return size;
    }

    /** Encoded bytes of the entries held. */
    long bytes() {
        return bytes;
    }

    /** nanoTime of the first entry; meaningless while empty. */
    long firstAt() {
        return firstAt;
    }

    /** The first {@code count} entries (at least one, at most {@link #size()}) as a block about to be sealed holds them. */
    SealInput sealInput(int count) {
        List<SealInput.Range> ranges = new ArrayList<>();
        int left = count;
        int n = segmentCount;
        Segment[] dir = segments;
        for (int s = 0; s < n && left > 0; s++) {
            Segment segment = dir[s];
            int to = Math.min(segment.batch().size(), segment.from() + left);
            ranges.add(new SealInput.Range(segment.batch(), segment.from(), to));
            left -= to - segment.from();
        }
        return new SealInput(ranges);
    }

    /** Calls {@code action} on every entry published when the call starts, oldest first (decoding each). */
    void forEach(Consumer<LogEntry> action) {
        forEach(EncodedFilter.NONE, action);
    }

    /**
     * Calls {@code action} on every entry published when the call starts that {@code filter} may
     * match, oldest first, decoding only those.
     *
     * @return how many entries the filter ruled out without decoding them
     */
    int forEach(EncodedFilter filter, Consumer<LogEntry> action) {
        EntryDecoder decoder = new EntryDecoder();
        int skipped = 0;
        int n = segmentCount; // read the count first: the directory read below is at least as new
        Segment[] dir = segments;
        for (int s = 0; s < n; s++) {
            Segment segment = dir[s];
            EncodedEntries batch = segment.batch();
            for (int i = segment.from(); i < batch.size(); i++) {
                if (filter == EncodedFilter.NONE || filter.mayMatch(batch, i)) {
                    action.accept(decoder.decode(batch, i));
                } else {
                    skipped++;
                }
            }
        }
        return skipped;
    }

    /**
     * A new active block that starts after the first {@code sealed} entries and holds the rest;
     * it shares their batches (immutable), copying nothing. Called under the swap lock, so no
     * entry is added meanwhile.
     */
    ActiveBlock after(int sealed, long now) {
        ActiveBlock next = new ActiveBlock(startSequence + sealed);
        int skip = sealed;
        int n = segmentCount;
        Segment[] dir = segments;
        for (int s = 0; s < n; s++) {
            Segment segment = dir[s];
            if (skip >= segment.count()) {
                skip -= segment.count();
                continue;
            }
            next.add(segment.batch(), segment.from() + skip, now);
            skip = 0;
        }
        return next;
    }
}
