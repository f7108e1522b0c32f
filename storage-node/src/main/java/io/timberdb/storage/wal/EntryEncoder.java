package io.timberdb.storage.wal;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.codec.ByteSink;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes entries in the WAL's entry encoding ({@link BatchCodec}): big-endian integers, varints
 * and strings as {@link ByteSink} writes them.
 *
 * <p>Not thread-safe: one per batch.
 */
final class EntryEncoder {

    private final ByteSink sink;

    EntryEncoder(int initialCapacity) {
        sink = new ByteSink(initialCapacity);
    }

    void entry(LogEntry entry) {
        sink.string(entry.id());
        sink.putLong(entry.timestamp().getEpochSecond());
        sink.putInt(entry.timestamp().getNano());
        sink.string(entry.source());
        sink.varint(entry.tags().size());
        for (Map.Entry<String, String> tag : entry.tags().entrySet()) {
            sink.string(tag.getKey());
            sink.string(tag.getValue());
        }
        sink.string(entry.message());
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
