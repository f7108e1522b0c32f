package io.timberdb.storage.block;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.CompressionSettings;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Encodes one page's entries into its five column chunks ({@link PageFormat}), in the layout of
 * {@link BlockFormat#CURRENT_VERSION}.
 *
 * <p>Not thread-safe: it reuses its buffers from page to page; one per block being written.
 */
final class PageEncoder {

    /** The value of each lower-case hex digit, -1 for every other ASCII char. */
    private static final byte[] HEX = new byte[128];

    static {
        Arrays.fill(HEX, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
        }
    }

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000};

    private final CompressionSettings compression;
    private final StringDictionary sources;
    private final StringDictionary tagKeys;
    private final StringDictionary tagValues;
    private final ByteSink column = new ByteSink(64 * 1024);
    private final ByteSink messageColumn = new ByteSink(64 * 1024);
    private final ByteSink page = new ByteSink(64 * 1024);
    /** A page's distinct tag sets and their indexes; the maps are in key order ({@link SealedEntries}). */
    private final Map<Map<String, String>, Integer> tagSets = new LinkedHashMap<>();
    /** The same indexes by map instance, in front of {@link #tagSets}, whose keys hash their entries. */
    private final Map<Map<String, String>, Integer> tagSetsSeen = new IdentityHashMap<>();
    /** A page's distinct id low halves and their indexes. */
    private final Map<Long, Integer> lowHalves = new HashMap<>();
    private final MessageTemplates messages = new MessageTemplates();
    /** Whether each entry starts a new source run (entry 0 does not count). */
    private boolean[] sourceStarts = new boolean[1024];
    private long[] values = new long[1024];
    private long[] scratch = new long[1024];

    PageEncoder(CompressionSettings compression, StringDictionary sources, StringDictionary tagKeys,
            StringDictionary tagValues) {
        this.compression = compression;
        this.sources = sources;
        this.tagKeys = tagKeys;
        this.tagValues = tagValues;
    }

    /** Appends the message templates of every page encoded so far: the block's {@link TemplateTable}. */
    void writeTemplates(ByteSink sink) {
        messages.writeTable(sink, compression);
    }

    /** The page's bytes: five chunks, each with its CRC. */
    byte[] encode(List<LogEntry> entries) {
        page.reset();
        int n = entries.size();
        if (sourceStarts.length < n) {
            sourceStarts = new boolean[n];
            values = new long[n];
            scratch = new long[n];
        }
        for (int i = 1; i < n; i++) {
            sourceStarts[i] = !entries.get(i).source().equals(entries.get(i - 1).source());
        }
        timestamps(entries);
        flushColumn(column);
        ids(entries);
        flushColumn(column);
        sources(entries);
        flushColumn(column);
        messages.encode(entries, messageColumn); // first: the tags refer to the page's templates
        tags(entries);
        flushColumn(column);
        flushColumn(messageColumn);
        return page.toByteArray();
    }

    private void timestamps(List<LogEntry> entries) {
        int scale = 0;
        for (LogEntry entry : entries) {
            scale = Math.max(scale, scaleOf(entry.timestamp().getNano()));
        }
        long[] ticks = ticks(entries, scale);
        if (ticks == null) {
            column.u8(PageFormat.TIMESTAMPS_SPLIT);
            long previous = 0;
            for (LogEntry entry : entries) {
                long seconds = entry.timestamp().getEpochSecond();
                column.varlong(ByteSink.zigzag(seconds - previous)).varint(entry.timestamp().getNano());
                previous = seconds;
            }
            return;
        }
        column.u8(scale);
        DeltaPacking.encode(column, ticks, ticks.length, sourceStarts, scratch); // deltas wrap; decoding wraps back
    }

    /** The coarsest of 0, 3, 6, 9 decimal digits that represents {@code nanos} exactly. */
    private static int scaleOf(int nanos) {
        if (nanos == 0) {
            return 0;
        }
        if (nanos % 1_000_000 == 0) {
            return 3;
        }
        return nanos % 1_000 == 0 ? 6 : 9;
    }

    /** The timestamps as ticks of {@code scale}, or null when one does not fit in 64 bits. */
    private static long[] ticks(List<LogEntry> entries, int scale) {
        long[] ticks = new long[entries.size()];
        try {
            for (int i = 0; i < ticks.length; i++) {
                Instant t = entries.get(i).timestamp();
                ticks[i] = Math.addExact(Math.multiplyExact(t.getEpochSecond(), POWERS_OF_TEN[scale]),
                        t.getNano() / POWERS_OF_TEN[9 - scale]);
            }
            return ticks;
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** Runs of one source: their count, then each run's source id and length. */
    private void sources(List<LogEntry> entries) {
        int runs = 1;
        for (int i = 1; i < entries.size(); i++) {
            if (!entries.get(i).source().equals(entries.get(i - 1).source())) {
                runs++;
            }
        }
        column.varint(runs);
        int start = 0;
        for (int i = 1; i <= entries.size(); i++) {
            String source = entries.get(start).source();
            if (i == entries.size() || !entries.get(i).source().equals(source)) {
                column.varint(sources.id(source)).varint(i - start);
                start = i;
            }
        }
    }

    /**
     * The table of distinct tag sets in order of first appearance, then the entries whose set is
     * not the usual one of their message template, then each template's usual set: a template's
     * lines nearly always carry one set (the same level and component).
     */
    private void tags(List<LogEntry> entries) {
        tagSets.clear();
        tagSetsSeen.clear();
        for (int i = 0; i < entries.size(); i++) {
            Map<String, String> tags = entries.get(i).tags();
            Integer index = tagSetsSeen.get(tags); // shared instances: hash each map once
            if (index == null) {
                Integer known = tagSets.putIfAbsent(tags, tagSets.size());
                index = known != null ? known : tagSets.size() - 1;
                tagSetsSeen.put(tags, index);
            }
            scratch[i] = index;
        }
        column.varint(tagSets.size());
        for (Map<String, String> tags : tagSets.keySet()) {
            column.varint(tags.size());
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                column.varint(tagKeys.id(tag.getKey())).varint(tagValues.id(tag.getValue()));
            }
        }
        int width = PageFormat.indexBits(tagSets.size());
        column.u8(width);
        // each template's usual set (a majority vote, Boyer-Moore), then the entries that differ from theirs
        int templates = messages.pageTemplateCount();
        int[] usual = new int[templates];
        int[] votes = new int[templates];
        for (int i = 0; i < entries.size(); i++) {
            int t = messages.pageTemplate(i);
            if (votes[t] == 0) {
                usual[t] = (int) scratch[i];
            }
            votes[t] += usual[t] == scratch[i] ? 1 : -1;
        }
        int exceptions = 0;
        for (int i = 0; i < entries.size(); i++) {
            exceptions += usual[messages.pageTemplate(i)] != scratch[i] ? 1 : 0;
        }
        column.varint(exceptions);
        int previous = -1;
        for (int i = 0; i < entries.size(); i++) {
            if (usual[messages.pageTemplate(i)] != scratch[i]) {
                column.varint(i - previous - 1).varint((int) scratch[i]);
                previous = i;
            }
        }
        BitPacking.Writer bits = new BitPacking.Writer(column);
        for (int set : usual) {
            bits.write(set, width);
        }
        bits.finish();
    }

    private void ids(List<LogEntry> entries) {
        int n = entries.size();
        long[] lows = new long[n];
        boolean allUuids = true;
        boolean version7 = true;
        for (int i = 0; i < n && allUuids; i++) {
            allUuids = parseCanonicalUuid(entries.get(i).id(), values, lows, i);
            version7 &= (values[i] & PageFormat.UUID_VERSION_MASK) == PageFormat.UUID_VERSION_7;
        }
        if (!allUuids) {
            column.u8(PageFormat.IDS_STRINGS);
            for (LogEntry entry : entries) {
                column.string(entry.id());
            }
            return;
        }
        if (!version7) {
            column.u8(PageFormat.IDS_UUID);
            long previousHigh = 0;
            long previousLow = 0;
            for (int i = 0; i < n; i++) {
                column.varlong(ByteSink.zigzag(values[i] - previousHigh)).varlong(lows[i] ^ previousLow);
                previousHigh = values[i];
                previousLow = lows[i];
            }
            return;
        }
        // the millisecond and the sequence next to each other: consecutive ids differ by a small count
        for (int i = 0; i < n; i++) {
            values[i] = PageFormat.uuid7Counter(values[i]);
        }
        column.u8(PageFormat.IDS_UUID7);
        DeltaPacking.encode(column, values, n, sourceStarts, scratch);
        lowHalves.clear();
        for (int i = 0; i < n; i++) {
            if (i > 0 && lows[i] == lows[i - 1]) {
                scratch[i] = scratch[i - 1]; // nearly always: one generator's ids share their low half
                continue;
            }
            Integer index = lowHalves.putIfAbsent(lows[i], lowHalves.size());
            scratch[i] = index != null ? index : lowHalves.size() - 1;
        }
        column.varint(lowHalves.size());
        long[] table = new long[lowHalves.size()];
        lowHalves.forEach((low, index) -> table[index] = low);
        for (long low : table) {
            column.putLong(low);
        }
        int width = PageFormat.indexBits(table.length);
        column.u8(width);
        BitPacking.pack(column, scratch, 0, n, width);
    }

    /**
     * Parses {@code id} into {@code highs[i]} and {@code lows[i]} (the UUID's most and least
     * significant bits) when it is exactly what {@link UUID#toString()} prints, 8-4-4-4-12
     * lower-case hex; otherwise returns false. One pass, no {@code UUID}: a seal parses every id.
     */
    static boolean parseCanonicalUuid(String id, long[] highs, long[] lows, int i) {
        if (id.length() != 36 || id.charAt(8) != '-' || id.charAt(13) != '-' || id.charAt(18) != '-'
                || id.charAt(23) != '-') {
            return false;
        }
        long high = 0;
        long low = 0;
        int invalid = 0;
        for (int p = 0; p < 36; p++) {
            if (p == 8 || p == 13 || p == 18 || p == 23) {
                continue;
            }
            char c = id.charAt(p);
            int digit = c < HEX.length ? HEX[c] : -1;
            invalid |= digit;
            if (p < 19) {
                high = high << 4 | (digit & 0xF);
            } else {
                low = low << 4 | (digit & 0xF);
            }
        }
        highs[i] = high;
        lows[i] = low;
        return invalid >= 0;
    }

    /** Appends a column buffer to the page as a chunk, compressed when that pays, and clears it. */
    private void flushColumn(ByteSink column) {
        int length = column.size();
        if (length > PageFormat.MAX_COLUMN_LENGTH) {
            throw new IllegalArgumentException("a page column of " + length + " bytes exceeds the "
                    + PageFormat.MAX_COLUMN_LENGTH + "-byte limit; lower the page size");
        }
        byte[] compressed = null;
        if (compression.shouldCompress(length)) {
            byte[] candidate = compression.compress(column.array(), 0, length);
            if (candidate.length < length) {
                compressed = candidate;
            }
        }
        int start = page.size();
        page.putInt(0); // the CRC, filled in below
        page.u8(compressed != null ? PageFormat.ENCODING_COMPRESSED : PageFormat.ENCODING_RAW).putInt(length);
        if (compressed != null) {
            page.putInt(compressed.length).bytes(compressed);
        } else {
            page.putInt(length).bytes(column.array(), 0, length);
        }
        int covered = page.size() - start - PageFormat.CHUNK_CRC_LENGTH;
        page.putIntAt(start, BlockFormat.crc(page.array(), start + PageFormat.CHUNK_CRC_LENGTH, covered));
        column.reset();
    }
}
