package io.timberdb.storage.codec;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads what a {@link ByteSink} wrote, from a range of a byte array, with every read bounds-checked:
 * running past the end or a malformed varint throws {@link CodecException} rather than returning
 * garbage. Positions are relative to the start of the range.
 *
 * <p>Not thread-safe: one decoder owns it.
 */
public final class ByteSource {

    private final byte[] bytes;
    private final int start;
    private final int end;
    private int position;

    public ByteSource(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    public ByteSource(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        this.bytes = bytes;
        this.start = offset;
        this.end = offset + length;
        this.position = offset;
    }

    /** Bytes read so far. */
    public int position() {
        return position - start;
    }

    public int remaining() {
        return end - position;
    }

    public boolean hasRemaining() {
        return position < end;
    }

    public int u8() {
        require(1);
        return bytes[position++] & 0xFF;
    }

    public int getShort() {
        require(2);
        int value = (bytes[position] & 0xFF) << 8 | (bytes[position + 1] & 0xFF);
        position += 2;
        return value;
    }

    public int getInt() {
        require(4);
        int value = (bytes[position] & 0xFF) << 24 | (bytes[position + 1] & 0xFF) << 16
                | (bytes[position + 2] & 0xFF) << 8 | (bytes[position + 3] & 0xFF);
        position += 4;
        return value;
    }

    public long getLong() {
        return (long) getInt() << 32 | (getInt() & 0xFFFFFFFFL);
    }

    /** An unsigned 32-bit varint, returned as the int with those bits. */
    public int varint() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = u8();
            if (shift == 28 && (b & 0xF0) != 0) {
                throw new CodecException("varint overflows 32 bits at " + (position() - 1));
            }
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new CodecException("varint longer than 5 bytes at " + position());
    }

    /** A varint that must lie in {@code 0..max}: a count, a length or a dictionary id. */
    public int varint(int max, String what) {
        int value = varint();
        if (value < 0 || value > max) {
            throw new CodecException(what + " " + Integer.toUnsignedString(value) + " is out of range 0.." + max);
        }
        return value;
    }

    /** An unsigned 64-bit varint. */
    public long varlong() {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = u8();
            if (shift == 63 && (b & 0xFE) != 0) {
                throw new CodecException("varlong overflows 64 bits at " + (position() - 1));
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new CodecException("varlong longer than 10 bytes at " + position());
    }

    /** A varint length and that many UTF-8 bytes. */
    public String string() {
        int length = varint(remaining(), "string length");
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    public byte[] bytes(int length) {
        require(length);
        byte[] value = java.util.Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    public void skip(int length) {
        require(length);
        position += length;
    }

    /** Fails unless every byte has been read. */
    public void expectEnd(String what) {
        if (position != end) {
            throw new CodecException(what + ": " + remaining() + " bytes left over");
        }
    }

    private void require(int count) {
        if (count < 0 || count > end - position) {
            throw new CodecException("needs " + count + " bytes at " + position() + ", " + remaining() + " left");
        }
    }
}
