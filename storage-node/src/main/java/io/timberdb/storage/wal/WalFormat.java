package io.timberdb.storage.wal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of a WAL segment file: a fixed header, then records back to back. All
 * integers are big-endian; the payload inside a record is described by {@link BatchCodec}.
 *
 * <h2>Segment header (20 bytes)</h2>
 * <pre>
 *  offset  width  type  field
 *  0       4      u32   magic 0x5457414C ("TWAL")
 *  4       2      u16   format version ({@link #CURRENT_VERSION})
 *  6       2      u16   flags, reserved, always 0
 *  8       8      u64   first sequence: the sequence number of the first entry in this segment,
 *                       equal to the file name ({@code <firstSeq, 20 digits>.wal})
 *  16      4      u32   CRC32C of bytes 0..15
 * </pre>
 *
 * <h2>Record frame (8-byte frame header + payload)</h2>
 * <pre>
 *  offset  width  type  field
 *  0       4      u32   payload length in bytes, {@link #MIN_PAYLOAD_LENGTH}..{@link #MAX_PAYLOAD_LENGTH}
 *  4       4      u32   CRC32C of the payload (the length is not covered: a torn or garbled length
 *                       either points past the end of the file or yields a CRC mismatch)
 *  8       length bytes payload: one batch of entries ({@link BatchCodec})
 * </pre>
 *
 * <h2>Version history</h2>
 * <ul>
 *   <li>1 — initial format: header above, batch payload v1 (binary entries with varint lengths).</li>
 * </ul>
 *
 * <p>Stateless; thread-safe.
 */
final class WalFormat {

    /** "TWAL" in ASCII. */
    static final int MAGIC = 0x5457414C;
    /** The oldest version this build reads. */
    static final int MIN_SUPPORTED_VERSION = 1;
    /** The version this build writes. */
    static final int CURRENT_VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int MAGIC_LENGTH = 4;
    static final int VERSION_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
    static final int VERSION_LENGTH = 2;
    static final int FLAGS_OFFSET = VERSION_OFFSET + VERSION_LENGTH;
    static final int FLAGS_LENGTH = 2;
    static final int FIRST_SEQUENCE_OFFSET = FLAGS_OFFSET + FLAGS_LENGTH;
    static final int FIRST_SEQUENCE_LENGTH = 8;
    static final int HEADER_CRC_OFFSET = FIRST_SEQUENCE_OFFSET + FIRST_SEQUENCE_LENGTH;
    static final int HEADER_CRC_LENGTH = 4;
    /** Size of the segment header; the first record starts here. */
    static final int HEADER_SIZE = HEADER_CRC_OFFSET + HEADER_CRC_LENGTH;

    static final int LENGTH_OFFSET = 0;
    static final int LENGTH_LENGTH = 4;
    static final int CRC_OFFSET = LENGTH_OFFSET + LENGTH_LENGTH;
    static final int CRC_LENGTH = 4;
    /** Size of a record's frame header; the payload starts here. */
    static final int FRAME_HEADER_SIZE = CRC_OFFSET + CRC_LENGTH;

    /** The smallest payload: a batch header with no entry bytes. */
    static final int MIN_PAYLOAD_LENGTH = BatchCodec.ENTRIES_OFFSET;
    /** The largest payload accepted; larger lengths are treated as garbage on read. */
    static final int MAX_PAYLOAD_LENGTH = 64 * 1024 * 1024;

    static final String SEGMENT_SUFFIX = ".wal";

    private WalFormat() {
    }

    /** The file name of the segment whose first entry has {@code firstSequence}. */
    static String segmentName(long firstSequence) {
        return String.format("%020d%s", firstSequence, SEGMENT_SUFFIX);
    }

    /** The first sequence encoded in a segment file name, or -1 when it is not a segment name. */
    static long parseSegmentName(String name) {
        if (name.length() != 20 + SEGMENT_SUFFIX.length() || !name.endsWith(SEGMENT_SUFFIX)) {
            return -1;
        }
        for (int i = 0; i < 20; i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return -1;
            }
        }
        try {
            return Long.parseLong(name.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Encodes the segment header of the current version. */
    static ByteBuffer encodeHeader(long firstSequence) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        header.putInt(MAGIC_OFFSET, MAGIC);
        header.putShort(VERSION_OFFSET, (short) CURRENT_VERSION);
        header.putShort(FLAGS_OFFSET, (short) 0);
        header.putLong(FIRST_SEQUENCE_OFFSET, firstSequence);
        header.putInt(HEADER_CRC_OFFSET, crc(header, 0, HEADER_CRC_OFFSET));
        return header;
    }

    /**
     * Checks a segment header and returns its first sequence.
     *
     * @throws CorruptWalException when the magic or the CRC is wrong
     * @throws UnsupportedWalVersionException when the version is not one this build reads
     */
    static long decodeHeader(Path file, ByteBuffer header) {
        if (header.remaining() < HEADER_SIZE) {
            throw new CorruptWalException(file, 0, "file is shorter than the " + HEADER_SIZE + "-byte header");
        }
        int magic = header.getInt(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new CorruptWalException(file, MAGIC_OFFSET, String.format("bad magic 0x%08X", magic));
        }
        int version = Short.toUnsignedInt(header.getShort(VERSION_OFFSET));
        if (version < MIN_SUPPORTED_VERSION || version > CURRENT_VERSION) {
            throw new UnsupportedWalVersionException(file, version);
        }
        int stored = header.getInt(HEADER_CRC_OFFSET);
        int actual = crc(header, 0, HEADER_CRC_OFFSET);
        if (stored != actual) {
            throw new CorruptWalException(file, HEADER_CRC_OFFSET, "header CRC mismatch");
        }
        return header.getLong(FIRST_SEQUENCE_OFFSET);
    }

    /** CRC32C of {@code length} bytes of {@code buffer} from absolute {@code offset}. */
    static int crc(ByteBuffer buffer, int offset, int length) {
        CRC32C crc = new CRC32C();
        ByteBuffer range = buffer.duplicate();
        range.limit(offset + length);
        range.position(offset);
        crc.update(range);
        return (int) crc.getValue();
    }
}
