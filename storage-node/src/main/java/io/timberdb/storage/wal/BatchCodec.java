package io.timberdb.storage.wal;

import java.nio.ByteBuffer;
import java.nio.file.Path;

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

    /** A batch read back: its first sequence number and its entries, still encoded. */
    record Batch(long baseSequence, EncodedEntries entries) {
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
        ByteBuffer in = payload.slice();
        try {
            long base = in.getLong(BASE_SEQUENCE_OFFSET);
            int count = in.getInt(COUNT_OFFSET);
            int from = in.arrayOffset() + ENTRIES_OFFSET;
            return new Batch(base, EncodedEntries.index(in.array(), from, in.arrayOffset() + in.limit(), count));
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new CorruptWalException(file, offset, "undecodable batch: " + e.getMessage());
        }
    }
}
