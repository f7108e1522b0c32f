package io.timberdb.model.sketch;

import java.nio.ByteBuffer;

/**
 * The serialized form of a {@link HyperLogLog}, as a storage node sends it to the query service
 * (base64 in the JSON of a partial group). Big-endian throughout:
 *
 * <pre>
 * offset  width     field
 * 0       2         magic: 'H' 'L' (0x48 0x4C)
 * 2       1         format version, unsigned
 * 3       1         precision p, unsigned: 14
 * 4       1         form: 0 = exact, 1 = registers
 * exact form:
 * 5       4         n, int32: the number of hashes, 0 to {@value HyperLogLog#EXACT_LIMIT}
 * 9       8 n       the hashes, int64, strictly ascending as signed numbers
 * registers form:
 * 5       12288     the 2^14 registers, 6 bits each (values 0 to 51), packed most significant
 *                   bit first: four registers a, b, c, d in three bytes aaaaaabb bbbbcccc ccdddddd
 * </pre>
 *
 * Nothing follows: the length is exactly 9 + 8n, or 12293. There is no CRC: the form travels only
 * inside an HTTP body, never on disk; what is read is checked for structure (magic, version,
 * precision, form, length, order, register range) instead. A sketch always takes the form that
 * {@link HyperLogLog} is in, which is a function of the set of hashes alone, so equal sketches
 * serialize to equal bytes.
 *
 * <p>Versions: 1, the first (exact form and packed registers).
 *
 * <p>Stateless; thread-safe.
 */
final class HyperLogLogFormat {

    static final short MAGIC = 0x484C;
    static final int MIN_SUPPORTED_VERSION = 1;
    static final int CURRENT_VERSION = 1;
    static final byte FORM_EXACT = 0;
    static final byte FORM_REGISTERS = 1;

    static final int MAGIC_OFFSET = 0;
    static final int MAGIC_LENGTH = 2;
    static final int VERSION_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
    static final int VERSION_LENGTH = 1;
    static final int PRECISION_OFFSET = VERSION_OFFSET + VERSION_LENGTH;
    static final int PRECISION_LENGTH = 1;
    static final int FORM_OFFSET = PRECISION_OFFSET + PRECISION_LENGTH;
    static final int FORM_LENGTH = 1;
    static final int HEADER_LENGTH = FORM_OFFSET + FORM_LENGTH;

    static final int COUNT_OFFSET = HEADER_LENGTH;
    static final int COUNT_LENGTH = 4;
    static final int HASHES_OFFSET = COUNT_OFFSET + COUNT_LENGTH;

    static final int REGISTER_BITS = 6;
    static final int REGISTERS_OFFSET = HEADER_LENGTH;
    static final int REGISTERS_BODY_LENGTH = (1 << HyperLogLog.PRECISION) * REGISTER_BITS / Byte.SIZE;

    private HyperLogLogFormat() {
    }

    static byte[] writeExact(long[] hashes, int size) {
        ByteBuffer out = header(HASHES_OFFSET + size * Long.BYTES, FORM_EXACT);
        out.putInt(size);
        for (int i = 0; i < size; i++) {
            out.putLong(hashes[i]);
        }
        return out.array();
    }

    static byte[] writeRegisters(byte[] registers) {
        ByteBuffer out = header(REGISTERS_OFFSET + REGISTERS_BODY_LENGTH, FORM_REGISTERS);
        for (int i = 0; i < registers.length; i += 4) {
            int packed = registers[i] << 18 | registers[i + 1] << 12 | registers[i + 2] << 6 | registers[i + 3];
            out.put((byte) (packed >>> 16)).put((byte) (packed >>> 8)).put((byte) packed);
        }
        return out.array();
    }

    private static ByteBuffer header(int length, byte form) {
        return ByteBuffer.allocate(length).putShort(MAGIC).put((byte) CURRENT_VERSION)
                .put((byte) HyperLogLog.PRECISION).put(form);
    }

    static HyperLogLog read(byte[] bytes) {
        if (bytes.length < HEADER_LENGTH) {
            throw new SketchFormatException(bytes.length + " bytes are shorter than the header");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getShort(MAGIC_OFFSET) != MAGIC) {
            throw new SketchFormatException(String.format("magic 0x%04x is not 0x%04x", in.getShort(MAGIC_OFFSET), MAGIC));
        }
        int version = Byte.toUnsignedInt(in.get(VERSION_OFFSET));
        if (version < MIN_SUPPORTED_VERSION || version > CURRENT_VERSION) {
            throw new UnsupportedSketchVersionException(version, MIN_SUPPORTED_VERSION, CURRENT_VERSION);
        }
        int precision = Byte.toUnsignedInt(in.get(PRECISION_OFFSET));
        if (precision != HyperLogLog.PRECISION) {
            throw new SketchFormatException("precision " + precision + " is not " + HyperLogLog.PRECISION);
        }
        return switch (in.get(FORM_OFFSET)) {
            case FORM_EXACT -> readExact(in);
            case FORM_REGISTERS -> readRegisters(in);
            default -> throw new SketchFormatException("form " + in.get(FORM_OFFSET) + " is neither exact (0) nor registers (1)");
        };
    }

    private static HyperLogLog readExact(ByteBuffer in) {
        if (in.limit() < HASHES_OFFSET) {
            throw new SketchFormatException("an exact sketch of " + in.limit() + " bytes lacks its count");
        }
        int size = in.getInt(COUNT_OFFSET);
        if (size < 0 || size > HyperLogLog.EXACT_LIMIT) {
            throw new SketchFormatException("an exact sketch of " + size + " hashes (0 to " + HyperLogLog.EXACT_LIMIT + ")");
        }
        expectLength(in, HASHES_OFFSET + size * Long.BYTES);
        long[] hashes = new long[Math.max(size, 1)];
        in.position(HASHES_OFFSET);
        for (int i = 0; i < size; i++) {
            hashes[i] = in.getLong();
            if (i > 0 && hashes[i] <= hashes[i - 1]) {
                throw new SketchFormatException("hash " + i + " is not above the one before it");
            }
        }
        return HyperLogLog.ofHashes(hashes, size);
    }

    private static HyperLogLog readRegisters(ByteBuffer in) {
        expectLength(in, REGISTERS_OFFSET + REGISTERS_BODY_LENGTH);
        byte[] registers = new byte[1 << HyperLogLog.PRECISION];
        in.position(REGISTERS_OFFSET);
        for (int i = 0; i < registers.length; i += 4) {
            int packed = Byte.toUnsignedInt(in.get()) << 16 | Byte.toUnsignedInt(in.get()) << 8 | Byte.toUnsignedInt(in.get());
            for (int j = 0; j < 4; j++) {
                int rank = packed >>> (REGISTER_BITS * (3 - j)) & 0x3F;
                if (rank > HyperLogLog.MAX_RANK) {
                    throw new SketchFormatException("register " + (i + j) + " holds " + rank + ", above " + HyperLogLog.MAX_RANK);
                }
                registers[i + j] = (byte) rank;
            }
        }
        return HyperLogLog.ofRegisters(registers);
    }

    private static void expectLength(ByteBuffer in, int length) {
        if (in.limit() != length) {
            throw new SketchFormatException("the sketch takes " + in.limit() + " bytes, its header says " + length);
        }
    }
}
