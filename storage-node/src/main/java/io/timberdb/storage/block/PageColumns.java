package io.timberdb.storage.block;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.query.EntryFields;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.codec.CodecException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

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

    private volatile ColumnDecoding.Times times;
    private volatile ColumnDecoding.Ids ids;
    private volatile int[] sources;
    private volatile ColumnDecoding.TagColumn tags;
    private volatile MessageTemplateDecoder.PageMessages messages;


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
            ColumnDecoding.TagColumn column = tagColumn();
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
                int holds = m.holdsNumber(e, search, search.needle().length);
                if (holds >= 0) {
                    return holds == 1;
                }
                buffer = m.contains(e, search.needle(), search.foldCase(), buffer, found);
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

    private ColumnDecoding.Times times() {
        ColumnDecoding.Times t = times;
        if (t == null) {
            t = decode(0, in -> ColumnDecoding.timestamps(in, n, formatVersion, page));
            times = t;
        }
        return t;
    }

    private String id(int e) {
        ColumnDecoding.Ids i = ids;
        if (i == null) {
            i = decode(1, in -> ColumnDecoding.ids(in, n, formatVersion));
            ids = i;
        }
        return i.id(e);
    }

    private int[] sources() {
        int[] s = sources;
        if (s == null) {
            s = decode(2, in -> ColumnDecoding.sources(in, n, formatVersion, index));
            sources = s;
        }
        return s;
    }

    private ColumnDecoding.TagColumn tagColumn() {
        ColumnDecoding.TagColumn t = tags;
        if (t == null) {
            MessageTemplateDecoder.PageMessages m = formatVersion >= BlockFormat.TEMPLATED_VERSION ? messages() : null;
            t = decode(3, in -> ColumnDecoding.tags(in, n, formatVersion, index, m));
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

    private CorruptBlockException corrupt(long offset, String reason) {
        return new CorruptBlockException(file, offset, "page " + pageNumber + ": " + reason);
    }
}
