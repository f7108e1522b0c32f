package io.timberdb.storage.block;

import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The decoders of a page's columns ({@link PageFormat}) other than the messages
 * ({@link MessageTemplateDecoder}), for {@link PageColumns}: each reads one uncompressed column of
 * {@code n} entries into arrays, strictly — a value out of range or inconsistent with the page
 * directory is a {@link CodecException}, which the caller turns into a {@link CorruptBlockException}
 * naming the chunk.
 *
 * <p>Stateless; thread-safe. The decoded columns are immutable once returned.
 */
final class ColumnDecoding {

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000};

    private ColumnDecoding() {
    }

    /**
     * The timestamps column as stored: ticks of 10^-scale seconds since the epoch, or, for
     * {@link PageFormat#TIMESTAMPS_SPLIT}, seconds and nanoseconds apart.
     */
    record Times(int scale, long[] ticks, int[] nanos) {

        Instant at(int e) {
            if (scale == PageFormat.TIMESTAMPS_SPLIT) {
                return Instant.ofEpochSecond(ticks[e], nanos[e]);
            }
            long perSecond = POWERS_OF_TEN[scale];
            return Instant.ofEpochSecond(Math.floorDiv(ticks[e], perSecond),
                    Math.floorMod(ticks[e], perSecond) * POWERS_OF_TEN[9 - scale]);
        }

        long epochMilli(int e) {
            return switch (scale) {
                case 0 -> Math.multiplyExact(ticks[e], 1000L);
                case 3 -> ticks[e];
                case 6 -> Math.floorDiv(ticks[e], 1_000L);
                case 9 -> Math.floorDiv(ticks[e], 1_000_000L);
                default -> Math.multiplyExact(ticks[e], 1000L) + nanos[e] / 1_000_000;
            };
        }

        /** Whether entry {@code a} is before entry {@code b}. */
        boolean before(int a, int b) {
            int c = Long.compare(ticks[a], ticks[b]);
            return c < 0 || c == 0 && nanos != null && nanos[a] < nanos[b];
        }
    }

    /** The ids column: 128-bit ids as high and low halves, or (older pages) strings. */
    record Ids(long[] highs, long[] lows, String[] strings) {

        String id(int e) {
            return strings != null ? strings[e] : new UUID(highs[e], lows[e]).toString();
        }
    }

    /** Each entry's tag set, as an index into the page's distinct sets. */
    record TagColumn(int[] sets, List<Map<String, String>> maps) {
    }

    /** Decodes the timestamps column, checking them against the directory's range (and order, in version 1). */
    static Times timestamps(ByteSource in, int n, int formatVersion, PageFormat.PageEntry page) {
        int scale = in.u8();
        Times times;
        if (scale == PageFormat.TIMESTAMPS_SPLIT) {
            long[] secs = new long[n];
            int[] ns = new int[n];
            long second = 0;
            for (int i = 0; i < n; i++) {
                second += ByteSink.unzigzag(in.varlong());
                secs[i] = second;
                ns[i] = in.varint(999_999_999, "nanoseconds");
            }
            times = new Times(scale, secs, ns);
        } else if (scale == 0 || scale == 3 || scale == 6 || scale == 9) {
            times = new Times(scale, tickValues(in, n, formatVersion), null);
        } else {
            throw new CodecException("unknown timestamp scale " + scale);
        }
        int min = 0;
        int max = 0;
        for (int i = 1; i < n; i++) {
            if (formatVersion <= BlockFormat.TIME_ORDERED_VERSION && times.before(i, i - 1)) {
                throw new CodecException("timestamps out of order at entry " + i);
            }
            min = times.before(i, min) ? i : min;
            max = times.before(max, i) ? i : max;
        }
        try {
            if (!times.at(min).equals(page.minTimestamp()) || !times.at(max).equals(page.maxTimestamp())) {
                throw new CodecException("timestamps do not match the page directory's range");
            }
        } catch (DateTimeException | ArithmeticException e) {
            throw new CodecException("timestamp out of range");
        }
        return times;
    }

    /** The ticks of a timestamps column: zigzag varlong deltas before version 4, then {@link DeltaPacking}. */
    private static long[] tickValues(ByteSource in, int n, int formatVersion) {
        if (formatVersion >= BlockFormat.TEMPLATED_VERSION) {
            return DeltaPacking.decode(in, n, formatVersion);
        }
        long[] ticks = new long[n];
        long tick = 0;
        for (int i = 0; i < n; i++) {
            tick += ByteSink.unzigzag(in.varlong());
            ticks[i] = tick;
        }
        return ticks;
    }

    /** Decodes the ids column. */
    static Ids ids(ByteSource in, int n, int formatVersion) {
        int encoding = in.u8();
        if (encoding == PageFormat.IDS_UUID) {
            long[] highs = new long[n];
            long[] lows = new long[n];
            long high = 0;
            long low = 0;
            for (int i = 0; i < n; i++) {
                high += ByteSink.unzigzag(in.varlong());
                low ^= in.varlong();
                highs[i] = high;
                lows[i] = low;
            }
            return new Ids(highs, lows, null);
        }
        if (encoding == PageFormat.IDS_UUID7 && formatVersion >= BlockFormat.TEMPLATED_VERSION) {
            return uuid7s(in, n, formatVersion);
        }
        if (encoding == PageFormat.IDS_STRINGS) {
            String[] strings = new String[n];
            for (int i = 0; i < n; i++) {
                strings[i] = in.string();
            }
            return new Ids(null, null, strings);
        }
        throw new CodecException("unknown id encoding " + encoding);
    }

    /** Version 4 ids of encoding {@link PageFormat#IDS_UUID7}: counter deltas, then the table of low halves and the indexes. */
    private static Ids uuid7s(ByteSource in, int n, int formatVersion) {
        long[] counters = DeltaPacking.decode(in, n, formatVersion);
        int lowCount = in.varint(n, "low half count");
        if (lowCount == 0) {
            throw new CodecException("no id low halves for " + n + " entries");
        }
        long[] lowTable = new long[lowCount];
        for (int i = 0; i < lowCount; i++) {
            lowTable[i] = in.getLong();
        }
        int width = in.u8();
        if (width != PageFormat.indexBits(lowCount)) {
            throw new CodecException("low half indexes of " + width + " bits for " + lowCount + " values");
        }
        long[] indexes = new long[n];
        BitPacking.unpack(in, indexes, n, width);
        long[] highs = new long[n];
        long[] lows = new long[n];
        for (int i = 0; i < n; i++) {
            if (counters[i] >>> 60 != 0 || indexes[i] >= lowCount) {
                throw new CodecException("entry " + i + "'s id is out of range");
            }
            highs[i] = PageFormat.uuid7High(counters[i]);
            lows[i] = lowTable[(int) indexes[i]];
        }
        return new Ids(highs, lows, null);
    }

    static int[] sources(ByteSource in, int n, int formatVersion, BlockIndex index) {
        int[] ids = new int[n];
        int maxId = index.sources().size() - 1;
        if (formatVersion < BlockFormat.COMPACT_COLUMNS_VERSION) {
            for (int i = 0; i < n; i++) {
                ids[i] = in.varint(maxId, "source id");
            }
        } else {
            int runs = in.varint(n, "source run count");
            int covered = 0;
            for (int r = 0; r < runs; r++) {
                int source = in.varint(maxId, "source id");
                int length = in.varint(n - covered, "source run length");
                if (length == 0) {
                    throw new CodecException("source run " + r + " is empty");
                }
                Arrays.fill(ids, covered, covered + length, source);
                covered += length;
            }
            if (covered != n) {
                throw new CodecException("source runs cover " + covered + " of the page's " + n + " entries");
            }
        }
        return ids;
    }

    static TagColumn tags(ByteSource in, int n, int formatVersion, BlockIndex index,
                          MessageTemplateDecoder.PageMessages messages) {
        int[] entrySets = new int[n];
        if (formatVersion < BlockFormat.COMPACT_COLUMNS_VERSION) {
            // entries of a page mostly repeat a few tag sets: share one map per distinct set
            Map<TagIds, Integer> shared = new HashMap<>();
            List<Map<String, String>> maps = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                entrySets[i] = shared.computeIfAbsent(tagIds(in, index), ids -> {
                    maps.add(tagMap(ids, index));
                    return maps.size() - 1;
                });
            }
            return new TagColumn(entrySets, maps);
        }
        int setCount = in.varint(n, "tag set count");
        if (setCount == 0) {
            throw new CodecException("no tag sets for " + n + " entries");
        }
        List<Map<String, String>> sets = new ArrayList<>(setCount);
        for (int s = 0; s < setCount; s++) {
            sets.add(tagMap(tagIds(in, index), index));
        }
        int width = in.u8();
        if (width != PageFormat.indexBits(setCount)) {
            throw new CodecException("tag set indexes of " + width + " bits for " + setCount + " sets");
        }
        if (formatVersion >= BlockFormat.TEMPLATED_VERSION) {
            return new TagColumn(tagSetsByTemplate(in, n, setCount, width, messages), sets);
        }
        long indexBytes = BitPacking.length(n, width);
        if (in.remaining() != indexBytes) {
            throw new CodecException(in.remaining() + " bytes of tag set indexes, not " + indexBytes);
        }
        long[] indexes = new long[n];
        BitPacking.unpack(in, indexes, n, width);
        for (int i = 0; i < n; i++) {
            if (indexes[i] >= setCount) {
                throw new CodecException("entry " + i + "'s tag set index " + indexes[i] + " is out of range 0.." + (setCount - 1));
            }
            entrySets[i] = (int) indexes[i];
        }
        return new TagColumn(entrySets, sets);
    }

    /**
     * Version 4: each entry's tag set index, from the exceptions (entries whose set is not the usual
     * one of their message template) and each template's usual set.
     */
    private static int[] tagSetsByTemplate(ByteSource in, int n, int setCount, int width,
            MessageTemplateDecoder.PageMessages messages) {
        int[] sets = new int[n];
        Arrays.fill(sets, -1);
        int exceptions = in.varint(n, "tag set exception count");
        int entry = -1;
        for (int x = 0; x < exceptions; x++) {
            entry += 1 + in.varint(n - 2 - entry, "tag set exception gap");
            sets[entry] = in.varint(setCount - 1, "tag set index");
        }
        int[] usual = new int[messages.templateCount()];
        BitPacking.Reader bits = new BitPacking.Reader(in);
        for (int t = 0; t < usual.length; t++) {
            usual[t] = (int) bits.read(width);
            if (usual[t] >= setCount) {
                throw new CodecException("template " + t + "'s tag set index " + usual[t] + " is out of range 0.." + (setCount - 1));
            }
        }
        bits.finish();
        for (int e = 0; e < n; e++) {
            sets[e] = sets[e] >= 0 ? sets[e] : usual[messages.templates()[e]];
        }
        return sets;
    }

    /** A tag count and that many (key id, value id) pairs. */
    private static TagIds tagIds(ByteSource in, BlockIndex index) {
        int keyCount = index.tagKeys().size();
        int count = in.varint(keyCount, "tag count");
        long[] pairs = new long[count];
        for (int t = 0; t < count; t++) {
            long key = in.varint(keyCount - 1, "tag key id");
            long value = in.varint(index.tagValues().size() - 1, "tag value id");
            pairs[t] = key << 32 | value;
        }
        return new TagIds(pairs);
    }

    private static Map<String, String> tagMap(TagIds ids, BlockIndex index) {
        if (ids.pairs().length == 0) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (long pair : ids.pairs()) {
            String key = index.tagKeys().value((int) (pair >>> 32));
            if (map.put(key, index.tagValues().value((int) pair)) != null) {
                throw new CodecException("tag key \"" + key + "\" repeated in one entry");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** A tag set as (key id, value id) pairs, comparable by content. */
    private record TagIds(long[] pairs) {
        @Override
        public boolean equals(Object other) {
            return other instanceof TagIds that && Arrays.equals(pairs, that.pairs);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(pairs);
        }

        @Override
        public String toString() {
            return Arrays.toString(pairs);
        }
    }
}
