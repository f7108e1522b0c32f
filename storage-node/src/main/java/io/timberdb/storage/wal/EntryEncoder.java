package io.timberdb.storage.wal;

import io.timberdb.model.api.LogEntry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes entries in the WAL's entry encoding ({@link BatchCodec}) into a growable big-endian byte
 * array; cheaper than a stream stack for many small writes.
 *
 * <p>Not thread-safe: one per batch.
 */
final class EntryEncoder {

    private byte[] bytes;
    private int size;

    EntryEncoder(int initialCapacity) {
        bytes = new byte[Math.max(64, initialCapacity)];
    }

    void entry(LogEntry entry) {
        string(entry.id());
        putLong(entry.timestamp().getEpochSecond());
        putInt(entry.timestamp().getNano());
        string(entry.source());
        varint(entry.tags().size());
        for (Map.Entry<String, String> tag : entry.tags().entrySet()) {
            string(tag.getKey());
            string(tag.getValue());
        }
        string(entry.message());
    }

    /** A varint length, then UTF-8; ASCII (nearly every log string) is copied without an intermediate array. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, exact for ASCII
    void string(String value) {
        int length = value.length();
        if (isAscii(value, length)) {
            varint(length);
            ensure(length);
            value.getBytes(0, length, bytes, size);
            size += length;
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        varint(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
    }

    private static boolean isAscii(String value, int length) {
        for (int i = 0; i < length; i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
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

    int size() {
        return size;
    }

    /**
     * The bytes written: the backing array itself when it is at most an eighth too long (the
     * encoder must not be used after), else a trimmed copy, so that held batches cost their size.
     */
    byte[] toArray() {
        return bytes.length - size <= size / 8 ? bytes : Arrays.copyOf(bytes, size);
    }
}
