package io.timberdb.storage.wal;

import io.timberdb.model.api.LogEntry;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A batch of entries in their WAL encoding (the entries section of {@link BatchCodec}), with the
 * offset where each one starts. This is how entries travel from an append to the WAL and on to
 * the active block, and how replay hands them back: as bytes, never as one object graph per
 * entry, so that un-sealed entries cost the heap their encoded size and the garbage collector
 * nothing (a few large arrays instead of millions of small objects that all survive until sealed).
 *
 * <p>As a {@code List<LogEntry>} it decodes an entry on every {@link #get}: convenient for tests
 * and small batches. Bulk readers decode with one {@link EntryDecoder}, which shares the strings
 * and tag maps that repeat from entry to entry.
 *
 * <p>Immutable once built (the arrays are never written after construction, and never exposed
 * for writing); thread-safe.
 */
public final class EncodedEntries extends AbstractList<LogEntry> implements RandomAccess {

    /** An empty batch. */
    public static final EncodedEntries EMPTY = new EncodedEntries(new byte[0], new int[] {0}, 0);

    private final byte[] bytes;
    /** {@code count + 1} offsets into {@link #bytes}: entry {@code i} is {@code [starts[i], starts[i + 1])}. */
    private final int[] starts;
    private final int count;

    private EncodedEntries(byte[] bytes, int[] starts, int count) {
        this.bytes = bytes;
        this.starts = starts;
        this.count = count;
    }

    /** Encodes {@code entries}; none may be null. */
    public static EncodedEntries encode(List<LogEntry> entries) {
        EntryEncoder encoder = new EntryEncoder(entries);
        int[] starts = new int[entries.size() + 1];
        for (int i = 0; i < entries.size(); i++) {
            starts[i] = encoder.size();
            encoder.entry(entries.get(i));
        }
        starts[entries.size()] = encoder.size();
        return new EncodedEntries(encoder.toArray(), starts, entries.size());
    }

    /**
     * Indexes {@code count} encoded entries that start at {@code from} in {@code bytes} and end
     * exactly at {@code to}, checking that each one parses (the array is kept, not copied).
     *
     * @throws IllegalArgumentException when the bytes are not {@code count} well-formed entries
     */
    static EncodedEntries index(byte[] bytes, int from, int to, int count) {
        if (count < 0 || count > to - from) {
            throw new IllegalArgumentException("impossible entry count " + Integer.toUnsignedString(count));
        }
        int[] starts = new int[count + 1];
        int at = from;
        for (int i = 0; i < count; i++) {
            starts[i] = at;
            at = EntryDecoder.skip(bytes, at, to);
        }
        if (at != to) {
            throw new IllegalArgumentException((to - at) + " bytes after the last entry");
        }
        starts[count] = at;
        return new EncodedEntries(bytes, starts, count);
    }

    /**
     * Reads {@code count} entries from bytes another node sent ({@link #writeTo}), checking that
     * each one parses. The array is kept, not copied.
     *
     * @throws IllegalArgumentException when the bytes are not {@code count} well-formed entries
     */
    public static EncodedEntries fromWire(byte[] bytes, int from, int to, int count) {
        return index(bytes, from, to, count);
    }

    /** Writes entries {@code from} (inclusive) to {@code to} (exclusive) as {@link #fromWire} reads them. */
    public void writeTo(java.io.OutputStream out, int from, int to) throws java.io.IOException {
        out.write(bytes, starts[from], starts[to] - starts[from]);
    }

    /** Entries {@code from} (inclusive) to {@code to} (exclusive) as a batch of their own, sharing the bytes. */
    public EncodedEntries range(int from, int to) {
        if (from == 0 && to == count) {
            return this;
        }
        if (from < 0 || to > count || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + count + " entries");
        }
        int[] sub = java.util.Arrays.copyOfRange(starts, from, to + 1);
        return new EncodedEntries(bytes, sub, to - from);
    }

    @Override
    public int size() {
        return count;
    }

    /** Decodes entry {@code index} (a new object on each call). */
    @Override
    public LogEntry get(int index) {
        return new EntryDecoder().decode(this, index);
    }

    /** The bytes of every entry, back to back, as the WAL record holds them (a copy). */
    byte[] toByteArray() {
        byte[] copy = new byte[encodedLength(0, count)];
        System.arraycopy(bytes, starts[0], copy, 0, copy.length);
        return copy;
    }

    /** The encoded size of entries {@code from} (inclusive) to {@code to} (exclusive). */
    public int encodedLength(int from, int to) {
        return starts[to] - starts[from];
    }

    /** Where entry {@code index} starts in {@link #bytes()}. */
    int start(int index) {
        return starts[index];
    }

    /** The shared backing array; callers must not write to it. */
    byte[] bytes() {
        return bytes;
    }

    /** The timestamp of entry {@code index}, in seconds since the epoch, without decoding the rest. */
    public long epochSecond(int index) {
        return EntryDecoder.epochSecond(bytes, starts[index]);
    }
}
