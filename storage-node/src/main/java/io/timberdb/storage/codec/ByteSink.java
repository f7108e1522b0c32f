package io.timberdb.storage.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array for encoding: fixed-width integers are big-endian; {@code varint} /
 * {@code varlong} are unsigned LEB128 (7 bits a byte, low bits first, high bit set on every byte
 * but the last; at most 5 / 10 bytes); {@link #zigzag} maps signed values to unsigned ones so that
 * small magnitudes stay short; a string is a varint UTF-8 byte length then the bytes. Read it back
 * with {@link ByteSource}.
 *
 * <p>Not thread-safe: one encoder owns it.
 */
public final class ByteSink {

    private byte[] bytes;
    private int size;

    public ByteSink() {
        this(256);
    }

    public ByteSink(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** Bytes written so far. */
    public int size() {
        return size;
    }

    /** The backing array; only the first {@link #size()} bytes are meaningful, and it changes as the sink grows. */
    public byte[] array() {
        return bytes;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Forgets the content, keeping the capacity. */
    public void reset() {
        size = 0;
    }

    public ByteSink u8(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
        return this;
    }

    public ByteSink putShort(int value) {
        ensure(2);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
        return this;
    }

    public ByteSink putInt(int value) {
        ensure(4);
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
        return this;
    }

    public ByteSink putLong(long value) {
        putInt((int) (value >>> 32));
        return putInt((int) value);
    }

    /** An unsigned 32-bit varint (negative ints take 5 bytes). */
    public ByteSink varint(int value) {
        ensure(5);
        while ((value & ~0x7F) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
        return this;
    }

    /** An unsigned 64-bit varint. */
    public ByteSink varlong(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
        return this;
    }

    /** A string as a varint UTF-8 length and the bytes (an unpaired surrogate becomes {@code '?'}). */
    /**
     * A varint byte length, then the UTF-8 bytes. ASCII (nearly every log string) is copied
     * without an intermediate array; an unpaired surrogate becomes {@code '?'}, as in any UTF-8 encoding.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, exact for ASCII
    public ByteSink string(String value) {
        int length = value.length();
        if (isAscii(value, length)) {
            varint(length);
            ensure(length);
            value.getBytes(0, length, bytes, size);
            size += length;
            return this;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        varint(utf8.length);
        return bytes(utf8, 0, utf8.length);
    }

    private static boolean isAscii(String value, int length) {
        for (int i = 0; i < length; i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    public ByteSink bytes(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
        return this;
    }

    public ByteSink bytes(byte[] source) {
        return bytes(source, 0, source.length);
    }

    /** Overwrites four bytes at {@code position} (which must already have been written). */
    public void putIntAt(int position, int value) {
        java.util.Objects.checkFromIndexSize(position, 4, size);
        bytes[position] = (byte) (value >>> 24);
        bytes[position + 1] = (byte) (value >>> 16);
        bytes[position + 2] = (byte) (value >>> 8);
        bytes[position + 3] = (byte) value;
    }

    /** ZigZag: 0, -1, 1, -2, … become 0, 1, 2, 3, …. */
    public static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    /** The inverse of {@link #zigzag}. */
    public static long unzigzag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 8) {
                if ((long) size + more > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("encoded data exceeds 2 GiB");
                }
                wanted = Integer.MAX_VALUE - 8;
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}
