package io.timberdb.storage.wal;

import io.timberdb.model.api.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes entries of the WAL's entry encoding ({@link BatchCodec}). Sources and whole tag sets
 * repeat from entry to entry, so a decoder remembers the last ones it decoded (a small
 * direct-mapped cache keyed by their bytes) and hands out the same {@code String} and {@code Map}
 * again: a million decoded entries of a hundred streams then hold a hundred tag maps, not a
 * million.
 *
 * <p>Not thread-safe: one per scan or seal. The static methods are stateless.
 */
public final class EntryDecoder {

    /** Direct-mapped: a slot per hash, no chaining; sized for hundreds of sources and thousands of tag sets. */
    private static final int SOURCE_SLOTS = 1024;
    private static final int TAG_SLOTS = 8192;

    private final byte[][] sourceKeys = new byte[SOURCE_SLOTS][];
    private final String[] sourceValues = new String[SOURCE_SLOTS];
    private final byte[][] tagKeys = new byte[TAG_SLOTS][];
    private final Map<?, ?>[] tagValues = new Map<?, ?>[TAG_SLOTS];
    /** Where the last read ended; set by the readers below. */
    private int position;
    /** The fields {@link #readHeader} read last. */
    private long lastSeconds;
    private int lastNanos;
    private String lastSource;
    private Map<String, String> lastTags;
    private int lastMessageBytes;

    /** Decodes entry {@code index} of {@code batch}. */
    public LogEntry decode(EncodedEntries batch, int index) {
        return decode(batch.bytes(), batch.start(index));
    }

    /** Decodes the entry at {@code at}; its bytes were checked by {@link #skip} when they were indexed. */
    LogEntry decode(byte[] b, int at) {
        position = at;
        String id = string(b);
        long seconds = getLong(b, position);
        int nanos = getInt(b, position + 8);
        position += 12;
        String source = source(b);
        Map<String, String> tags = tags(b);
        String message = string(b);
        return new LogEntry(id, Instant.ofEpochSecond(seconds, nanos), source, tags, message);
    }

    /**
     * Reads what orders and indexes entry {@code index} of {@code batch} in a block, without making
     * its id or message strings (of the message it takes the size): afterwards
     * {@link #lastSeconds()}, {@link #lastNanos()}, {@link #lastSource()}, {@link #lastTags()} and
     * {@link #lastMessageBytes()} answer for it. Sources and tag maps are the instances
     * {@link #decode} hands out for the same bytes.
     */
    public void readHeader(EncodedEntries batch, int index) {
        byte[] b = batch.bytes();
        position = batch.start(index);
        skipString(b); // the id
        lastSeconds = getLong(b, position);
        lastNanos = getInt(b, position + 8);
        position += 12;
        lastSource = source(b);
        lastTags = tags(b);
        lastMessageBytes = varint(b);
        position += lastMessageBytes;
    }

    public long lastSeconds() {
        return lastSeconds;
    }

    public int lastNanos() {
        return lastNanos;
    }

    public String lastSource() {
        return lastSource;
    }

    public Map<String, String> lastTags() {
        return lastTags;
    }

    /** The size in bytes of UTF-8 of the last message read. */
    public int lastMessageBytes() {
        return lastMessageBytes;
    }

    /** The id of entry {@code index} of {@code batch}. */
    public String id(EncodedEntries batch, int index) {
        position = batch.start(index);
        return string(batch.bytes());
    }

    /**
     * Entry {@code index} of {@code batch} with the {@code source} and {@code tags} given, which must
     * be what it holds (or their stored form): the entry's own are skipped, not decoded.
     */
    public LogEntry decode(EncodedEntries batch, int index, String source, Map<String, String> tags) {
        byte[] b = batch.bytes();
        position = batch.start(index);
        String id = string(b);
        long seconds = getLong(b, position);
        int nanos = getInt(b, position + 8);
        position += 12;
        skipString(b); // the source
        int count = varint(b);
        for (int i = 0; i < 2 * count; i++) {
            skipString(b);
        }
        return new LogEntry(id, Instant.ofEpochSecond(seconds, nanos), source, tags, string(b));
    }

    private void skipString(byte[] b) {
        int length = varint(b); // advances position past the length first
        position += length;
    }

    private String string(byte[] b) {
        int length = varint(b);
        String value = new String(b, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    private String source(byte[] b) {
        int start = position;
        int length = varint(b);
        int from = position;
        position += length;
        int slot = hash(b, start, position) & (SOURCE_SLOTS - 1);
        byte[] key = sourceKeys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, start, position)) {
            return sourceValues[slot];
        }
        String value = new String(b, from, length, StandardCharsets.UTF_8);
        sourceKeys[slot] = Arrays.copyOfRange(b, start, position);
        sourceValues[slot] = value;
        return value;
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> tags(byte[] b) {
        int start = position;
        int count = varint(b);
        if (count == 0) {
            return Map.of();
        }
        int end = position;
        for (int i = 0; i < 2 * count; i++) {
            end = skipString(b, end, b.length);
        }
        int slot = hash(b, start, end) & (TAG_SLOTS - 1);
        byte[] key = tagKeys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, start, end)) {
            position = end;
            return (Map<String, String>) tagValues[slot];
        }
        Map<String, String> tags = new LinkedHashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            tags.put(string(b), string(b));
        }
        Map<String, String> value = Collections.unmodifiableMap(tags);
        tagKeys[slot] = Arrays.copyOfRange(b, start, end);
        tagValues[slot] = value;
        return value;
    }

    private int varint(byte[] b) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[position++];
            value |= (x & 0x7F) << shift;
            if (x >= 0) {
                return value;
            }
        }
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }

    /** The timestamp seconds of the entry at {@code at}. */
    static long epochSecond(byte[] b, int at) {
        int[] cursor = {at};
        int length = checkedVarint(b, cursor, b.length);
        return getLong(b, cursor[0] + length);
    }

    /**
     * Where the entry that starts at {@code at} ends, checking that it lies within {@code limit}
     * and that every length in it is well-formed.
     *
     * @throws IllegalArgumentException when it does not
     */
    static int skip(byte[] b, int at, int limit) {
        int next = skipString(b, at, limit); // id
        next += 12; // timestamp seconds and nanos
        if (next > limit) {
            throw new IllegalArgumentException("entry truncated in its timestamp");
        }
        long seconds = getLong(b, next - 12);
        int nanos = getInt(b, next - 4);
        if (seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()
                || nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("timestamp out of range: " + seconds + " s + " + nanos + " ns");
        }
        next = skipString(b, next, limit); // source
        int[] cursor = {next};
        int tags = checkedVarint(b, cursor, limit);
        next = cursor[0];
        for (int i = 0; i < tags; i++) {
            next = skipString(b, skipString(b, next, limit), limit);
        }
        return skipString(b, next, limit); // message
    }

    static int skipString(byte[] b, int at, int limit) {
        int[] cursor = {at};
        int length = checkedVarint(b, cursor, limit);
        int end = cursor[0] + length;
        if (end > limit || end < 0) {
            throw new IllegalArgumentException("string of " + length + " bytes runs past the batch");
        }
        return end;
    }

    static int checkedVarint(byte[] b, int[] cursor, int limit) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (cursor[0] >= limit) {
                throw new IllegalArgumentException("varint runs past the batch");
            }
            byte x = b[cursor[0]++];
            value |= (x & 0x7F) << shift;
            if (x >= 0) {
                if (value < 0) {
                    throw new IllegalArgumentException("varint out of range");
                }
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than 5 bytes");
    }

    static long getLong(byte[] b, int at) {
        return ((long) getInt(b, at) << 32) | (getInt(b, at + 4) & 0xFFFF_FFFFL);
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
