package io.timberdb.storage.shard;

import io.timberdb.model.api.LogEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The entries of one shard in sequence order, held in memory for queries: an append-only list
 * of fixed-size chunks that readers scan without locks while the single writer appends.
 *
 * <p>Thread-safety: one writer at a time ({@link #addAll}; the WAL calls it from one thread),
 * any number of concurrent readers. The writer fills slots and then publishes them with a
 * volatile write of {@link #size}; a reader's volatile read of {@link #size} therefore sees
 * every slot (and chunk) below it. A full chunk directory is replaced, never mutated in a way
 * that loses published chunks.
 */
final class EntryList {

    private static final int CHUNK_SHIFT = 12;
    private static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK_SIZE - 1;

    /** The chunk directory; volatile because a grown copy replaces it. */
    private volatile LogEntry[][] chunks = new LogEntry[8][];
    /** How many entries are published; volatile: the publication point for readers. */
    private volatile int size;

    /** Appends entries and publishes them together. Single writer only. */
    void addAll(List<LogEntry> entries) {
        int n = size;
        LogEntry[][] dir = chunks;
        for (LogEntry entry : entries) {
            int chunk = n >>> CHUNK_SHIFT;
            if (chunk == dir.length) {
                dir = Arrays.copyOf(dir, dir.length * 2);
                chunks = dir;
            }
            if (dir[chunk] == null) {
                dir[chunk] = new LogEntry[CHUNK_SIZE];
            }
            dir[chunk][n & CHUNK_MASK] = entry;
            n++;
        }
        size = n;
    }

    /** The number of published entries. */
    int size() {
        return size;
    }

    /** A copy of the published entries {@code from} (inclusive) to {@code to} (exclusive). */
    List<LogEntry> copy(int from, int to) {
        LogEntry[][] dir = chunks;
        List<LogEntry> out = new ArrayList<>(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            out.add(dir[i >>> CHUNK_SHIFT][i & CHUNK_MASK]);
        }
        return out;
    }

    /** Calls {@code action} on every entry published when the call starts, oldest first. */
    void forEach(Consumer<LogEntry> action) {
        int n = size; // read size first: the directory read below is at least as new
        LogEntry[][] dir = chunks;
        for (int i = 0; i < n; i++) {
            action.accept(dir[i >>> CHUNK_SHIFT][i & CHUNK_MASK]);
        }
    }
}
