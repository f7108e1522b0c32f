package io.timberdb.storage.block;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.query.EntryFields;
import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.codec.CodecException;
import java.nio.file.Path;
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
 * One page read from a block ({@link PageFormat}), decoded a column at a time as queries ask for
 * them: a scan that tests tags decompresses the tags column (and, from version 4, the messages
 * column, whose templates the tag sets refer to) but builds no message, no id and no entry. Each
 * column's chunk CRC is checked when the column is first decoded; {@link #entries()} decodes
 * them all. A {@link Row} reads one entry's fields through the columns, building a message only
 * when its template cannot answer a {@code CONTAINS} ({@link TemplateSearch}).
 *
 * <p>Thread-safe: columns are decoded on first use into immutable arrays; two threads may both
 * decode one, to the same result. Rows are cursors for one thread.
 */
public final class PageColumns {

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000};

    private final Path file;
    private final int pageNumber;
    private final PageFormat.PageEntry page;
    private final byte[] bytes;
    private final Codec codec;
    /** Version 1 pages are in time order, later ones only within each source; version 3 has compact sources and tags. */
    private final int formatVersion;
    private final BlockIndex index;
    private final int n;
    /** Where each column's chunk header starts in {@link #bytes}. */
    private final int[] chunkStarts = new int[PageFormat.COLUMN_COUNT];

    private volatile Times times;
    private volatile long[] idHighs;
    private volatile long[] idLows;
    private volatile String[] idStrings;
    private volatile int[] sources;
    private volatile TagColumn tags;
    private volatile MessageTemplateDecoder.PageMessages messages;

    /**
     * The timestamps column as stored: ticks of 10^-scale seconds since the epoch, or, for
     * {@link PageFormat#TIMESTAMPS_SPLIT}, seconds and nanoseconds apart.
     */
    private record Times(int scale, long[] ticks, int[] nanos) {

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

    /** Each entry's tag set, as an index into the page's distinct sets. */
    private record TagColumn(int[] sets, List<Map<String, String>> maps) {
    }

    private PageColumns(Path file, int pageNumber, PageFormat.PageEntry page, byte[] bytes, Codec codec, BlockIndex index,
                        int formatVersion) {
        this.formatVersion = formatVersion;
        this.file = file;
        this.pageNumber = pageNumber;
        this.page = page;
        this.bytes = bytes;
        this.codec = codec;
        this.index = index;
        this.n = page.entryCount();
        locateChunks();
    }

    /**
     * The page {@code bytes} read at {@code page.offset()}, its chunks located (their headers must
     * tile the page exactly) but not yet checked or decoded.
     *
     * @throws CorruptBlockException naming the damaged chunk's offset when a chunk header is wrong
     */
    static PageColumns of(Path file, int pageNumber, PageFormat.PageEntry page, byte[] bytes, Codec codec,
            BlockIndex index, int formatVersion) {
        return new PageColumns(file, pageNumber, page, bytes, codec, index, formatVersion);
    }

    /** How many entries the page holds. */
    public int size() {
        return n;
    }

    /** The oldest entry's time, from the block's page directory. */
    public Instant minTimestamp() {
        return page.minTimestamp();
    }

    /** The newest entry's time, from the block's page directory. */
    public Instant maxTimestamp() {
        return page.maxTimestamp();
    }

    /** How many distinct tag sets the page's entries have: every {@link Row#tagSet()} is below it. */
    public int tagSetCount() {
        return tagColumn().maps().size();
    }

    /** A cursor over the page's rows, at row 0. */
    public Row row() {
        return new Row();
    }

    /**
     * Every entry of the page, in block order, every column decoded and checked.
     *
     * @throws CorruptBlockException when a chunk's CRC or content is wrong
     */
    List<LogEntry> entries() {
        try {
            messages().check();
        } catch (CodecException e) {
            throw corruptColumn(4, e);
        }
        List<LogEntry> entries = new ArrayList<>(n);
        Row row = row();
        for (int e = 0; e < n; e++) {
            entries.add(LogEntry.of(row.at(e)));
        }
        return Collections.unmodifiableList(entries);
    }

    /** An estimate of the heap bytes the page holds with every column decoded, for the cache's bound. */
    int weight() {
        return (int) Math.min(Integer.MAX_VALUE, 128L + bytes.length + 56L * n);
    }

    /**
     * A view of one row at a time: the fields of entry {@code e} after {@link #at(int)}, each
     * decoded when asked for. Not thread-safe; do not keep it past the page's scan.
     */
    public final class Row implements EntryFields {
        private int e;
        private String message;
        private int messageOf = -1;
        /** The last text searched for in messages, and its search of the block's templates. */
        private String searched;
        private TemplateTable.Search search;
        /** Where a message is built to be searched without making a string. */
        private byte[] buffer = new byte[256];
        private final boolean[] found = new boolean[1];

        /** Moves to entry {@code e} (0 .. size − 1) and returns this. */
        public Row at(int e) {
            this.e = e;
            return this;
        }

        /** The entry this row is at. */
        public int index() {
            return e;
        }

        @Override
        public String id() {
            return PageColumns.this.id(e);
        }

        @Override
        public Instant timestamp() {
            return times().at(e);
        }

        /** The timestamp in milliseconds since the epoch, rounded down, without an {@link Instant}. */
        public long epochMilli() {
            return times().epochMilli(e);
        }

        @Override
        public String source() {
            return index.sources().value(sources()[e]);
        }

        /** The source's id in the block's dictionary: equal ids, equal sources. */
        public int sourceId() {
            return sources()[e];
        }

        @Override
        public Map<String, String> tags() {
            TagColumn column = tagColumn();
            return column.maps().get(column.sets()[e]);
        }

        /** The index of the entry's tag set among the page's: equal indexes, equal tags. */
        public int tagSet() {
            return tagColumn().sets()[e];
        }

        @Override
        public String message() {
            if (messageOf != e) {
                message = PageColumns.this.message(e);
                messageOf = e;
            }
            return message;
        }

        @Override
        public boolean messageContains(String needle, boolean ignoreCase) {
            MessageTemplateDecoder.PageMessages m = messages();
            if (!m.templated()) {
                return EntryFields.super.messageContains(needle, ignoreCase);
            }
            if (needle != searched || ignoreCase != search.ignoreCase()) { // the same text, entry after entry
                search = m.table().search(needle, ignoreCase);
                searched = needle;
            }
            byte verdict = search.verdict(m.blockTemplate(e));
            if (verdict != TemplateSearch.MAYBE) {
                return verdict == TemplateSearch.ALWAYS;
            }
            if (search.needle() == null) {
                return EntryFields.super.messageContains(needle, ignoreCase);
            }
            try {
                buffer = m.contains(e, search.needle(), ignoreCase, buffer, found);
            } catch (CodecException x) {
                throw corruptColumn(4, x);
            }
            return found[0];
        }
    }

    private void locateChunks() {
        int position = 0;
        for (int c = 0; c < PageFormat.COLUMN_COUNT; c++) {
            long chunkOffset = page.offset() + position;
            String column = PageFormat.COLUMN_NAMES[c];
            if (bytes.length - position < PageFormat.CHUNK_HEADER_SIZE) {
                throw corrupt(chunkOffset, column + " chunk header truncated");
            }
            int storedLength = new ByteSource(bytes, position + PageFormat.STORED_LENGTH_OFFSET,
                    PageFormat.STORED_LENGTH_LENGTH).getInt();
            int dataOffset = position + PageFormat.CHUNK_HEADER_SIZE;
            if (storedLength < 0 || storedLength > bytes.length - dataOffset) {
                throw corrupt(chunkOffset, column + " chunk length " + Integer.toUnsignedString(storedLength)
                        + " runs past the page end");
            }
            chunkStarts[c] = position;
            position = dataOffset + storedLength;
        }
        if (position != bytes.length) {
            throw corrupt(page.offset() + position, (bytes.length - position) + " bytes after the last column");
        }
    }

    /** Checks column {@code c}'s chunk CRC and returns its uncompressed content. */
    private ByteSource chunk(int c) {
        int position = chunkStarts[c];
        long chunkOffset = page.offset() + position;
        String column = PageFormat.COLUMN_NAMES[c];
        ByteSource header = new ByteSource(bytes, position, PageFormat.CHUNK_HEADER_SIZE);
        int storedCrc = header.getInt();
        int encoding = header.u8();
        int uncompressedLength = header.getInt();
        int storedLength = header.getInt();
        int dataOffset = position + PageFormat.CHUNK_HEADER_SIZE;
        int covered = PageFormat.CHUNK_HEADER_SIZE - PageFormat.CHUNK_CRC_LENGTH + storedLength;
        if (storedCrc != BlockFormat.crc(bytes, position + PageFormat.CHUNK_CRC_LENGTH, covered)) {
            throw corrupt(chunkOffset, "page " + pageNumber + " " + column + " chunk CRC mismatch");
        }
        if (uncompressedLength < 0 || uncompressedLength > PageFormat.MAX_COLUMN_LENGTH) {
            throw corrupt(chunkOffset, column + " uncompressed length " + Integer.toUnsignedString(uncompressedLength));
        }
        if (encoding == PageFormat.ENCODING_RAW && storedLength == uncompressedLength) {
            return new ByteSource(bytes, dataOffset, storedLength);
        }
        if (encoding == PageFormat.ENCODING_COMPRESSED && codec != Codec.NONE) {
            try {
                return new ByteSource(codec.decompress(bytes, dataOffset, storedLength, uncompressedLength));
            } catch (CodecException e) {
                throw corrupt(chunkOffset, column + " column does not decode: " + e.getMessage());
            }
        }
        throw corrupt(chunkOffset, column + " chunk encoding " + encoding + " with lengths " + storedLength + "/"
                + uncompressedLength + " is invalid for codec " + codec.specName());
    }

    /** Decodes column {@code c} with {@code decoder}, which must read it to its end, reporting damage with the chunk's offset. */
    private <T> T decode(int c, ColumnDecoder<T> decoder) {
        return decodeStart(c, in -> {
            T value = decoder.decode(in);
            in.expectEnd(PageFormat.COLUMN_NAMES[c]);
            return value;
        });
    }

    /** As {@link #decode}, for a decoder that may leave the rest of the column to be read later. */
    private <T> T decodeStart(int c, ColumnDecoder<T> decoder) {
        ByteSource in = chunk(c);
        try {
            return decoder.decode(in);
        } catch (CodecException e) {
            throw corruptColumn(c, e);
        }
    }

    private CorruptBlockException corruptColumn(int c, CodecException e) {
        return corrupt(page.offset() + chunkStarts[c], PageFormat.COLUMN_NAMES[c] + " column does not decode: " + e.getMessage());
    }

    /** Entry {@code e}'s message, built from its template and numbers (the numbers are read and checked on first use). */
    private String message(int e) {
        try {
            return messages().message(e);
        } catch (CodecException x) {
            throw corruptColumn(4, x);
        }
    }

    @FunctionalInterface
    private interface ColumnDecoder<T> {
        T decode(ByteSource in);
    }

    private Times times() {
        Times t = times;
        if (t == null) {
            t = decode(0, this::timestamps);
            times = t;
        }
        return t;
    }

    private String id(int e) {
        if (idHighs == null && idStrings == null) {
            decode(1, in -> {
                ids(in);
                return null;
            });
        }
        String[] strings = idStrings;
        return strings != null ? strings[e] : new UUID(idHighs[e], idLows[e]).toString();
    }

    private int[] sources() {
        int[] s = sources;
        if (s == null) {
            s = decode(2, this::sources);
            sources = s;
        }
        return s;
    }

    private TagColumn tagColumn() {
        TagColumn t = tags;
        if (t == null) {
            MessageTemplateDecoder.PageMessages m = formatVersion >= BlockFormat.TEMPLATED_VERSION ? messages() : null;
            t = decode(3, in -> tags(in, m));
            tags = t;
        }
        return t;
    }

    private MessageTemplateDecoder.PageMessages messages() {
        MessageTemplateDecoder.PageMessages m = messages;
        if (m == null) {
            if (formatVersion < BlockFormat.TEMPLATED_VERSION) {
                m = decode(4, in -> {
                    String[] strings = new String[n];
                    for (int i = 0; i < n; i++) {
                        strings[i] = in.string();
                    }
                    return MessageTemplateDecoder.PageMessages.of(strings);
                });
            } else { // the numbers, and the column's end, are read when a message is first built
                m = decodeStart(4, in -> MessageTemplateDecoder.decode(in, n, index.templates()));
            }
            messages = m;
        }
        return m;
    }

    /** Decodes the timestamps column, checking them against the directory's range (and order, in version 1). */
    private Times timestamps(ByteSource in) {
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
            times = new Times(scale, tickValues(in, n), null);
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
    private long[] tickValues(ByteSource in, int n) {
        if (formatVersion >= BlockFormat.TEMPLATED_VERSION) {
            return DeltaPacking.decode(in, n);
        }
        long[] ticks = new long[n];
        long tick = 0;
        for (int i = 0; i < n; i++) {
            tick += ByteSink.unzigzag(in.varlong());
            ticks[i] = tick;
        }
        return ticks;
    }

    /** Decodes the ids column into {@link #idHighs} and {@link #idLows}, or {@link #idStrings}. */
    private void ids(ByteSource in) {
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
            idLows = lows;
            idHighs = highs;
        } else if (encoding == PageFormat.IDS_UUID7 && formatVersion >= BlockFormat.TEMPLATED_VERSION) {
            uuid7s(in);
        } else if (encoding == PageFormat.IDS_STRINGS) {
            String[] strings = new String[n];
            for (int i = 0; i < n; i++) {
                strings[i] = in.string();
            }
            idStrings = strings;
        } else {
            throw new CodecException("unknown id encoding " + encoding);
        }
    }

    /** Version 4 ids of encoding {@link PageFormat#IDS_UUID7}: counter deltas, then the table of low halves and the indexes. */
    private void uuid7s(ByteSource in) {
        long[] counters = DeltaPacking.decode(in, n);
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
        idLows = lows;
        idHighs = highs;
    }

    private int[] sources(ByteSource in) {
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

    private TagColumn tags(ByteSource in, MessageTemplateDecoder.PageMessages messages) {
        int[] entrySets = new int[n];
        if (formatVersion < BlockFormat.COMPACT_COLUMNS_VERSION) {
            // entries of a page mostly repeat a few tag sets: share one map per distinct set
            Map<TagIds, Integer> shared = new HashMap<>();
            List<Map<String, String>> maps = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                entrySets[i] = shared.computeIfAbsent(tagIds(in), ids -> {
                    maps.add(tagMap(ids));
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
            sets.add(tagMap(tagIds(in)));
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
    private TagIds tagIds(ByteSource in) {
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

    private Map<String, String> tagMap(TagIds ids) {
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

    private CorruptBlockException corrupt(long offset, String reason) {
        return new CorruptBlockException(file, offset, "page " + pageNumber + ": " + reason);
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
