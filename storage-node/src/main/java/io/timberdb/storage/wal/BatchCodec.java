package io.timberdb.storage.wal;

import io.timberdb.model.api.LogEntry;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payload of a WAL record: one batch of entries, as appended by one call. Integers are
 * big-endian; {@code varint} is an unsigned LEB128 32-bit integer (1-5 bytes, low 7 bits first,
 * high bit set on every byte but the last); strings are a varint byte length then UTF-8 bytes.
 *
 * <pre>
 *  offset  width   type    field
 *  0       1       u8      batch format version ({@link #BATCH_VERSION}); written with every
 *                          record so that a reader meets a newer writer's record as such, not as garbage
 *  1       8       u64     base sequence: the sequence number of the first entry of the batch
 *  9       4       u32     entry count
 *  13      ...             the entries, back to back, each:
 *                  string  id
 *                  i64     timestamp, seconds since the epoch
 *                  i32     timestamp, nanoseconds within the second (0..999,999,999)
 *                  string  source
 *                  varint  tag count, then that many (string key, string value) pairs
 *                  string  message
 * </pre>
 * The whole payload is covered by the record's CRC32C (see {@link WalFormat}). Entry {@code i}
 * of the batch has sequence number {@code base + i}.
 *
 * <p>Version history: 1 — initial layout above.
 *
 * <p>Stateless; thread-safe.
 */
final class BatchCodec {

    static final int BATCH_VERSION = 1;
    static final int MIN_SUPPORTED_BATCH_VERSION = 1;

    static final int VERSION_OFFSET = 0;
    static final int VERSION_LENGTH = 1;
    static final int BASE_SEQUENCE_OFFSET = VERSION_OFFSET + VERSION_LENGTH;
    static final int BASE_SEQUENCE_LENGTH = 8;
    static final int COUNT_OFFSET = BASE_SEQUENCE_OFFSET + BASE_SEQUENCE_LENGTH;
    static final int COUNT_LENGTH = 4;
    /** Where the entries start; also the size of the batch header. */
    static final int ENTRIES_OFFSET = COUNT_OFFSET + COUNT_LENGTH;

    private BatchCodec() {
    }

    /** A decoded batch. */
    record Batch(long baseSequence, List<LogEntry> entries) {
    }

    /** Encodes the entries section (everything from {@link #ENTRIES_OFFSET} on). */
    static byte[] encodeEntries(List<LogEntry> entries) {
        Sink sink = new Sink(entries.size() * 128);
        for (LogEntry entry : entries) {
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
        return sink.toArray();
    }

    /** Writes the batch header at {@code dst}'s position and advances it. */
    static void putHeader(ByteBuffer dst, long baseSequence, int count) {
        dst.put((byte) BATCH_VERSION);
        dst.putLong(baseSequence);
        dst.putInt(count);
    }

    /**
     * Decodes a payload whose CRC already matched.
     *
     * @param file the segment, for error messages
     * @param offset the payload's offset in the segment, for error messages
     * @throws UnsupportedWalVersionException when the batch was written by a newer format
     * @throws CorruptWalException when the bytes do not parse (a writer bug: the CRC matched)
     */
    static Batch decode(Path file, long offset, ByteBuffer payload) {
        int version = Byte.toUnsignedInt(payload.get(payload.position() + VERSION_OFFSET));
        if (version < MIN_SUPPORTED_BATCH_VERSION || version > BATCH_VERSION) {
            throw new UnsupportedWalVersionException(file, version);
        }
        try {
            ByteBuffer in = payload.slice();
            in.position(BASE_SEQUENCE_OFFSET);
            long base = in.getLong();
            int count = in.getInt();
            if (count < 0 || count > in.remaining()) {
                throw new CorruptWalException(file, offset, "impossible entry count " + Integer.toUnsignedString(count));
            }
            List<LogEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String id = string(in);
                Instant timestamp = Instant.ofEpochSecond(in.getLong(), in.getInt());
                String source = string(in);
                int tagCount = varint(in);
                Map<String, String> tags = new LinkedHashMap<>();
                for (int t = 0; t < tagCount; t++) {
                    tags.put(string(in), string(in));
                }
                entries.add(new LogEntry(id, timestamp, source, Collections.unmodifiableMap(tags), string(in)));
            }
            if (in.hasRemaining()) {
                throw new CorruptWalException(file, offset, in.remaining() + " bytes after the last entry");
            }
            return new Batch(base, Collections.unmodifiableList(entries));
        } catch (BufferUnderflowException | IllegalArgumentException | DateTimeException e) {
            throw new CorruptWalException(file, offset, "undecodable batch: " + e);
        }
    }

    private static String string(ByteBuffer in) {
        int length = varint(in);
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        String value = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }

    private static int varint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                if (value < 0) {
                    throw new IllegalArgumentException("varint out of range");
                }
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes");
    }

    /** A growable big-endian byte array; cheaper than a stream stack for many small writes. */
    private static final class Sink {
        private byte[] bytes;
        private int size;

        Sink(int initialCapacity) {
            bytes = new byte[Math.max(64, initialCapacity)];
        }

        void string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        void varint(int value) {
            ensure(5);
            while ((value & ~0x7F) != 0) {
                bytes[size++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            bytes[size++] = (byte) value;
        }

        void putLong(long value) {
            putInt((int) (value >>> 32));
            putInt((int) value);
        }

        void putInt(int value) {
            ensure(4);
            bytes[size++] = (byte) (value >>> 24);
            bytes[size++] = (byte) (value >>> 16);
            bytes[size++] = (byte) (value >>> 8);
            bytes[size++] = (byte) value;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
