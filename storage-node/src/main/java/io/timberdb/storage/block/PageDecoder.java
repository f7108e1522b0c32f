package io.timberdb.storage.block;

import io.timberdb.model.api.LogEntry;
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
 * Decodes one page read from a block ({@link PageFormat}): checks each chunk's CRC, decompresses
 * it, and rebuilds the entries, sharing the dictionary strings and identical tag maps.
 *
 * <p>Not thread-safe: one instance per page decoded.
 */
final class PageDecoder {

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
    private int position;
    /** Where the chunk being decoded starts in the file, for error messages. */
    private long chunkOffset;
    private String column;

    private PageDecoder(Path file, int pageNumber, PageFormat.PageEntry page, byte[] bytes, Codec codec, BlockIndex index,
                        int formatVersion) {
        this.formatVersion = formatVersion;
        this.file = file;
        this.pageNumber = pageNumber;
        this.page = page;
        this.bytes = bytes;
        this.codec = codec;
        this.index = index;
    }

    /**
     * Decodes the page {@code bytes} read at {@code page.offset()}.
     *
     * @throws CorruptBlockException naming the damaged chunk's offset when a CRC or the content is wrong
     */
    static DecodedPage decode(Path file, int pageNumber, PageFormat.PageEntry page, byte[] bytes, Codec codec,
            BlockIndex index, int formatVersion) {
        return new PageDecoder(file, pageNumber, page, bytes, codec, index, formatVersion).decode();
    }

    private DecodedPage decode() {
        int n = page.entryCount();
        try {
            Instant[] timestamps = timestamps(nextChunk(0), n);
            String[] ids = ids(nextChunk(1), n);
            String[] sources = sources(nextChunk(2), n);
            ByteSource tagColumn = nextChunk(3);
            long tagOffset = chunkOffset;
            // version 4 tags refer to the messages' templates: decode the messages first
            MessageTemplateDecoder.PageMessages decoded = messages(nextChunk(4), n);
            String[] messages = decoded.messages();
            column = PageFormat.COLUMN_NAMES[3];
            chunkOffset = tagOffset;
            List<Map<String, String>> tags = tags(tagColumn, n, decoded);
            List<LogEntry> entries = new ArrayList<>(n);
            long weight = 64;
            for (int i = 0; i < n; i++) {
                entries.add(new LogEntry(ids[i], timestamps[i], sources[i], tags.get(i), messages[i]));
                weight += 160 + 2L * (ids[i].length() + messages[i].length());
            }
            if (position != bytes.length) {
                throw corrupt(page.offset() + position, (bytes.length - position) + " bytes after the last column");
            }
            return new DecodedPage(Collections.unmodifiableList(entries), (int) Math.min(Integer.MAX_VALUE, weight));
        } catch (CodecException e) {
            throw corrupt(chunkOffset, column + " column does not decode: " + e.getMessage());
        }
    }

    private MessageTemplateDecoder.PageMessages messages(ByteSource in, int n) {
        MessageTemplateDecoder.PageMessages messages;
        if (formatVersion < BlockFormat.TEMPLATED_VERSION) {
            String[] strings = new String[n];
            for (int i = 0; i < n; i++) {
                strings[i] = in.string();
            }
            messages = new MessageTemplateDecoder.PageMessages(strings, null, 0);
        } else {
            messages = MessageTemplateDecoder.decode(in, n, index.templates());
        }
        in.expectEnd(column);
        return messages;
    }

    /** Checks the next chunk's CRC and returns its uncompressed content. */
    private ByteSource nextChunk(int columnIndex) {
        column = PageFormat.COLUMN_NAMES[columnIndex];
        chunkOffset = page.offset() + position;
        if (bytes.length - position < PageFormat.CHUNK_HEADER_SIZE) {
            throw corrupt(chunkOffset, column + " chunk header truncated");
        }
        ByteSource header = new ByteSource(bytes, position, PageFormat.CHUNK_HEADER_SIZE);
        int storedCrc = header.getInt();
        int encoding = header.u8();
        int uncompressedLength = header.getInt();
        int storedLength = header.getInt();
        int dataOffset = position + PageFormat.CHUNK_HEADER_SIZE;
        if (storedLength < 0 || storedLength > bytes.length - dataOffset) {
            throw corrupt(chunkOffset, column + " chunk length " + Integer.toUnsignedString(storedLength)
                    + " runs past the page end");
        }
        int covered = PageFormat.CHUNK_HEADER_SIZE - PageFormat.CHUNK_CRC_LENGTH + storedLength;
        if (storedCrc != BlockFormat.crc(bytes, position + PageFormat.CHUNK_CRC_LENGTH, covered)) {
            throw corrupt(chunkOffset, "page " + pageNumber + " " + column + " chunk CRC mismatch");
        }
        position = dataOffset + storedLength;
        if (uncompressedLength < 0 || uncompressedLength > PageFormat.MAX_COLUMN_LENGTH) {
            throw corrupt(chunkOffset, column + " uncompressed length " + Integer.toUnsignedString(uncompressedLength));
        }
        if (encoding == PageFormat.ENCODING_RAW && storedLength == uncompressedLength) {
            return new ByteSource(bytes, dataOffset, storedLength);
        }
        if (encoding == PageFormat.ENCODING_COMPRESSED && codec != Codec.NONE) {
            return new ByteSource(codec.decompress(bytes, dataOffset, storedLength, uncompressedLength));
        }
        throw corrupt(chunkOffset, column + " chunk encoding " + encoding + " with lengths " + storedLength + "/"
                + uncompressedLength + " is invalid for codec " + codec.specName());
    }

    private Instant[] timestamps(ByteSource in, int n) {
        Instant[] timestamps = new Instant[n];
        int scale = in.u8();
        try {
            if (scale == PageFormat.TIMESTAMPS_SPLIT) {
                long seconds = 0;
                for (int i = 0; i < n; i++) {
                    seconds += ByteSink.unzigzag(in.varlong());
                    timestamps[i] = Instant.ofEpochSecond(seconds, in.varint(999_999_999, "nanoseconds"));
                }
            } else if (scale == 0 || scale == 3 || scale == 6 || scale == 9) {
                long[] ticks = tickValues(in, n);
                long perSecond = POWERS_OF_TEN[scale];
                long nanosPerTick = POWERS_OF_TEN[9 - scale];
                for (int i = 0; i < n; i++) {
                    timestamps[i] = Instant.ofEpochSecond(Math.floorDiv(ticks[i], perSecond),
                            Math.floorMod(ticks[i], perSecond) * nanosPerTick);
                }
            } else {
                throw new CodecException("unknown timestamp scale " + scale);
            }
        } catch (DateTimeException e) {
            throw new CodecException("timestamp out of range");
        }
        in.expectEnd(column);
        Instant min = timestamps[0];
        Instant max = timestamps[0];
        for (int i = 1; i < n; i++) {
            if (formatVersion <= BlockFormat.TIME_ORDERED_VERSION && timestamps[i].isBefore(timestamps[i - 1])) {
                throw new CodecException("timestamps out of order at entry " + i);
            }
            min = timestamps[i].isBefore(min) ? timestamps[i] : min;
            max = timestamps[i].isAfter(max) ? timestamps[i] : max;
        }
        if (!min.equals(page.minTimestamp()) || !max.equals(page.maxTimestamp())) {
            throw new CodecException("timestamps do not match the page directory's range");
        }
        return timestamps;
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

    private String[] ids(ByteSource in, int n) {
        String[] ids = new String[n];
        int encoding = in.u8();
        if (encoding == PageFormat.IDS_UUID) {
            long high = 0;
            long low = 0;
            for (int i = 0; i < n; i++) {
                high += ByteSink.unzigzag(in.varlong());
                low ^= in.varlong();
                ids[i] = new UUID(high, low).toString();
            }
        } else if (encoding == PageFormat.IDS_UUID7 && formatVersion >= BlockFormat.TEMPLATED_VERSION) {
            uuid7s(in, n, ids);
        } else if (encoding == PageFormat.IDS_STRINGS) {
            for (int i = 0; i < n; i++) {
                ids[i] = in.string();
            }
        } else {
            throw new CodecException("unknown id encoding " + encoding);
        }
        in.expectEnd(column);
        return ids;
    }

    /** Version 4 ids of encoding {@link PageFormat#IDS_UUID7}: counter deltas, then the table of low halves and the indexes. */
    private static void uuid7s(ByteSource in, int n, String[] ids) {
        long[] counters = DeltaPacking.decode(in, n);
        int lowCount = in.varint(n, "low half count");
        if (lowCount == 0) {
            throw new CodecException("no id low halves for " + n + " entries");
        }
        long[] lows = new long[lowCount];
        for (int i = 0; i < lowCount; i++) {
            lows[i] = in.getLong();
        }
        int width = in.u8();
        if (width != PageFormat.indexBits(lowCount)) {
            throw new CodecException("low half indexes of " + width + " bits for " + lowCount + " values");
        }
        long[] indexes = new long[n];
        BitPacking.unpack(in, indexes, n, width);
        for (int i = 0; i < n; i++) {
            if (counters[i] >>> 60 != 0 || indexes[i] >= lowCount) {
                throw new CodecException("entry " + i + "'s id is out of range");
            }
            ids[i] = new UUID(PageFormat.uuid7High(counters[i]), lows[(int) indexes[i]]).toString();
        }
    }

    private String[] sources(ByteSource in, int n) {
        String[] sources = new String[n];
        int maxId = index.sources().size() - 1;
        if (formatVersion < BlockFormat.COMPACT_COLUMNS_VERSION) {
            for (int i = 0; i < n; i++) {
                sources[i] = index.sources().value(in.varint(maxId, "source id"));
            }
        } else {
            int runs = in.varint(n, "source run count");
            int covered = 0;
            for (int r = 0; r < runs; r++) {
                String source = index.sources().value(in.varint(maxId, "source id"));
                int length = in.varint(n - covered, "source run length");
                if (length == 0) {
                    throw new CodecException("source run " + r + " is empty");
                }
                Arrays.fill(sources, covered, covered + length, source);
                covered += length;
            }
            if (covered != n) {
                throw new CodecException("source runs cover " + covered + " of the page's " + n + " entries");
            }
        }
        in.expectEnd(column);
        return sources;
    }

    private List<Map<String, String>> tags(ByteSource in, int n, MessageTemplateDecoder.PageMessages messages) {
        List<Map<String, String>> tags = new ArrayList<>(n);
        if (formatVersion < BlockFormat.COMPACT_COLUMNS_VERSION) {
            // entries of a page mostly repeat a few tag sets: share one map per distinct set
            Map<TagIds, Map<String, String>> shared = new HashMap<>();
            for (int i = 0; i < n; i++) {
                tags.add(shared.computeIfAbsent(tagIds(in), this::tagMap));
            }
        } else {
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
                for (int set : tagSetsByTemplate(in, n, setCount, width, messages)) {
                    tags.add(sets.get(set));
                }
                in.expectEnd(column);
                return tags;
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
                tags.add(sets.get((int) indexes[i]));
            }
        }
        in.expectEnd(column);
        return tags;
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
