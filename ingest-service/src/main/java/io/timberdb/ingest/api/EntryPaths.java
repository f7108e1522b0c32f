package io.timberdb.ingest.api;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The JSON paths {@code [0]}, {@code [1]}, … of the entries of an array or NDJSON body, for error
 * messages. Every request of N entries needs the same N paths, so the strings are made once per
 * process (up to {@link #CACHED} of them) rather than once per entry of every request.
 *
 * <p>Thread-safe: immutable, apart from the shared cache, which is filled without a lock. Two
 * threads may both make {@code "[i]"}; either string is right, and a {@code String} read through
 * a data race is still a complete one (its fields are final).
 */
final class EntryPaths extends AbstractList<String> implements RandomAccess {

    /** Paths of indexes below this are kept; at 10,000-entry batches, 10,000 short strings. */
    private static final int CACHED = 1 << 16;
    private static final String[] CACHE = new String[CACHED];

    private final int size;

    private EntryPaths(int size) {
        this.size = size;
    }

    /** The paths of {@code size} entries. */
    static List<String> indexes(int size) {
        return new EntryPaths(size);
    }

    @Override
    public String get(int index) {
        Objects.checkIndex(index, size);
        if (index >= CACHED) {
            return "[" + index + "]";
        }
        String path = CACHE[index];
        if (path == null) {
            path = "[" + index + "]";
            CACHE[index] = path;
        }
        return path;
    }

    @Override
    public int size() {
        return size;
    }
}
