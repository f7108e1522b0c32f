package io.timberdb.storage.wal;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.codec.ByteSink;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a batch of entries in the WAL's entry encoding ({@link BatchCodec}): big-endian integers,
 * varints and strings as {@link ByteSink} writes them, into one array sized for the batch.
 *
 * <p>Sources and whole tag sets repeat from entry to entry (a batch holds a few hundred streams),
 * so the encoder keeps the bytes of the last ones it encoded, direct-mapped by hash, and copies
 * them when the same one comes again instead of encoding its strings anew. Sources compare by
 * content. Tag sets compare by reference: the ingest path hands out one map instance per distinct
 * tag set, and a reference check costs no walk over the map; equal maps that are distinct
 * instances are merely encoded each time.
 *
 * <p>Not thread-safe: one per batch.
 */
final class EntryEncoder {

    /** Direct-mapped slots, several times the distinct sources and tag sets of a typical batch (hundreds). */
    private static final int SOURCE_SLOTS = 2048;
    private static final int TAG_SLOTS = 2048;
    /** An encoded timestamp: seconds (i64) and nanoseconds (i32). */
    private static final int TIMESTAMP_SIZE = 12;

    private final ByteSink sink;
    private final String[] sources = new String[SOURCE_SLOTS];
    private final byte[][] sourceBytes = new byte[SOURCE_SLOTS][];
    private final Map<?, ?>[] tagSets = new Map<?, ?>[TAG_SLOTS];
    private final byte[][] tagBytes = new byte[TAG_SLOTS][];
    /** Where tag sets are encoded before they are cached. */
    private final ByteSink scratch = new ByteSink(256);

    /**
     * An encoder for {@code batch}, whose array has the batch's exact encoded size when every
     * string is ASCII (nearly always: no growing or trimming copy); other strings take more bytes,
     * and the array grows as needed.
     */
    EntryEncoder(List<LogEntry> batch) {
        long size = 0;
        for (LogEntry e : batch) {
            size += asciiSize(e.id()) + TIMESTAMP_SIZE + asciiSize(e.source()) + tags(e.tags()).length
                    + asciiSize(e.message());
        }
        sink = new ByteSink((int) Math.min(size, WalFormat.MAX_PAYLOAD_LENGTH + 1L));
    }

    void entry(LogEntry entry) {
        sink.string(entry.id());
        sink.putLong(entry.timestamp().getEpochSecond());
        sink.putInt(entry.timestamp().getNano());
        source(entry.source());
        sink.bytes(tags(entry.tags()));
        sink.string(entry.message());
    }

    private void source(String source) {
        int slot = spread(source.hashCode()) & (SOURCE_SLOTS - 1);
        String cached = sources[slot];
        if (cached != null && (cached == source || cached.equals(source))) {
            sink.bytes(sourceBytes[slot]);
            return;
        }
        int start = sink.size();
        sink.string(source);
        sources[slot] = source;
        sourceBytes[slot] = Arrays.copyOfRange(sink.array(), start, sink.size());
    }

    /** The encoded tag count and pairs of {@code tags}, in the map's order. */
    private byte[] tags(Map<String, String> tags) {
        int slot = spread(System.identityHashCode(tags)) & (TAG_SLOTS - 1);
        if (tagSets[slot] == tags) {
            return tagBytes[slot];
        }
        scratch.reset();
        scratch.varint(tags.size());
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            scratch.string(tag.getKey());
            scratch.string(tag.getValue());
        }
        byte[] encoded = scratch.toByteArray();
        tagSets[slot] = tags;
        tagBytes[slot] = encoded;
        return encoded;
    }

    private static int asciiSize(String s) {
        int length = s.length();
        return length + (length < 1 << 7 ? 1 : length < 1 << 14 ? 2 : length < 1 << 21 ? 3 : length < 1 << 28 ? 4 : 5);
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    int size() {
        return sink.size();
    }

    /**
     * The bytes written: the backing array itself when it is at most an eighth too long (the
     * encoder must not be used after), else a trimmed copy, so that held batches cost their size.
     */
    byte[] toArray() {
        byte[] bytes = sink.array();
        int size = sink.size();
        return bytes.length - size <= size / 8 ? bytes : Arrays.copyOf(bytes, size);
    }
}
