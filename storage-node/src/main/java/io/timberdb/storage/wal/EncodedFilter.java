package io.timberdb.storage.wal;

import io.timberdb.model.api.QueryFilter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * A query filter tested on an entry's encoding ({@link BatchCodec}) before it is decoded: the
 * timestamp's seconds, the source, the tag pairs and the message are compared as bytes where they
 * lie. It answers "may match" or "cannot match" and never wrongly the latter, so a scan decodes
 * only the candidates and then tests them with the exact predicate; on a selective query over the
 * active block most entries are never decoded. Byte comparison is exact because strings are
 * stored as UTF-8 and compared for equality (source, tags) or as a substring (message; a UTF-8
 * needle occurs in UTF-8 bytes exactly where its text occurs in the text).
 *
 * <p>Immutable; thread-safe.
 */
public final class EncodedFilter {

    /** Lets every entry through. */
    public static final EncodedFilter NONE = new EncodedFilter(null, null, null, new byte[0][], new byte[0][], null);

    private final Long fromSecond;
    private final Long toSecond;
    private final byte[] source;
    private final byte[][] tagKeys;
    private final byte[][] tagValues;
    private final byte[] needle;
    /** {@link #shifts} of {@link #needle}, when there is one. */
    private final int[] skip;

    private EncodedFilter(Long fromSecond, Long toSecond, byte[] source, byte[][] tagKeys, byte[][] tagValues,
                          byte[] needle) {
        this.fromSecond = fromSecond;
        this.toSecond = toSecond;
        this.source = source;
        this.tagKeys = tagKeys;
        this.tagValues = tagValues;
        this.needle = needle;
        this.skip = needle == null ? null : shifts(needle);
    }

    /** The byte-level form of {@code filter} (already validated). */
    public static EncodedFilter of(QueryFilter filter) {
        if (filter.timeRange() == null && filter.source() == null && filter.tags().isEmpty()
                && filter.messageContains() == null) {
            return NONE;
        }
        Instant from = filter.from();
        Instant to = filter.to();
        byte[][] keys = new byte[filter.tags().size()][];
        byte[][] values = new byte[filter.tags().size()][];
        int i = 0;
        for (Map.Entry<String, String> tag : filter.tags().entrySet()) {
            keys[i] = utf8(tag.getKey());
            values[i] = utf8(tag.getValue());
            i++;
        }
        String contains = filter.messageContains();
        return new EncodedFilter(from == null ? null : from.getEpochSecond(), to == null ? null : to.getEpochSecond(),
                filter.source() == null ? null : utf8(filter.source()), keys, values,
                contains == null || !wellFormed(contains) ? null : utf8(contains));
    }

    /** False when entry {@code index} of {@code batch} cannot match; true when it may. */
    public boolean mayMatch(EncodedEntries batch, int index) {
        byte[] b = batch.bytes();
        int at = EntryDecoder.skipString(b, batch.start(index), b.length); // id
        long seconds = EntryDecoder.getLong(b, at);
        // seconds alone: an entry in the first or last second of the range may fall either side
        if (fromSecond != null && seconds < fromSecond || toSecond != null && seconds > toSecond) {
            return false;
        }
        at += 12;
        int sourceEnd = EntryDecoder.skipString(b, at, b.length);
        if (source != null && !stringEquals(b, at, sourceEnd, source)) {
            return false;
        }
        at = sourceEnd;
        int[] cursor = {at};
        int tagCount = EntryDecoder.checkedVarint(b, cursor, b.length);
        int tagsStart = cursor[0];
        int tagsEnd = tagsStart;
        for (int t = 0; t < 2 * tagCount; t++) {
            tagsEnd = EntryDecoder.skipString(b, tagsEnd, b.length);
        }
        for (int k = 0; k < tagKeys.length; k++) {
            if (!hasTag(b, tagsStart, tagCount, tagKeys[k], tagValues[k])) {
                return false;
            }
        }
        if (needle != null) {
            cursor[0] = tagsEnd;
            int length = EntryDecoder.checkedVarint(b, cursor, b.length);
            return contains(b, cursor[0], cursor[0] + length);
        }
        return true;
    }

    private static boolean hasTag(byte[] b, int at, int count, byte[] key, byte[] value) {
        for (int t = 0; t < count; t++) {
            int keyEnd = EntryDecoder.skipString(b, at, b.length);
            int valueEnd = EntryDecoder.skipString(b, keyEnd, b.length);
            if (stringEquals(b, at, keyEnd, key) && stringEquals(b, keyEnd, valueEnd, value)) {
                return true;
            }
            at = valueEnd;
        }
        return false;
    }

    /** Whether the encoded string spanning {@code [start, end)} (length prefix included) is {@code expected}. */
    private static boolean stringEquals(byte[] b, int start, int end, byte[] expected) {
        int[] cursor = {start};
        int length = EntryDecoder.checkedVarint(b, cursor, end);
        return length == expected.length && Arrays.equals(b, cursor[0], end, expected, 0, expected.length);
    }

    /**
     * Whether {@code needle} occurs in {@code b[from, to)}: Boyer-Moore-Horspool, which compares
     * the window's last byte first and, on a mismatch, skips by how far that byte lies from the
     * needle's end (the whole needle when it is not in it), so a long needle reads a fraction of
     * the message.
     */
    private boolean contains(byte[] b, int from, int to) {
        int n = needle.length;
        if (n == 0) {
            return true;
        }
        int last = n - 1;
        for (int i = from; i + last < to; i += skip[b[i + last] & 0xFF]) {
            if (b[i + last] == needle[last] && Arrays.equals(b, i, i + last, needle, 0, last)) {
                return true;
            }
        }
        return false;
    }

    /** Horspool's shift per byte value: the distance from its last place in the needle (not counting the end) to the end. */
    private static int[] shifts(byte[] needle) {
        int[] skip = new int[256];
        Arrays.fill(skip, Math.max(1, needle.length));
        for (int i = 0; i < needle.length - 1; i++) {
            skip[needle[i] & 0xFF] = needle.length - 1 - i;
        }
        return skip;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Without unpaired surrogates, which UTF-8 cannot hold (such a needle matches no stored message). */
    private static boolean wellFormed(String text) {
        return new String(utf8(text), StandardCharsets.UTF_8).equals(text);
    }
}
