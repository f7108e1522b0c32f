package io.timberdb.storage.block;

import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.index.Tokenizer;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.zip.CRC32C;

/**
 * The layout of a block file: an immutable, sorted, compressed and indexed run of a shard's
 * entries. All fixed-width integers are big-endian; varints are unsigned LEB128 (see
 * {@link io.timberdb.storage.codec.ByteSink}); every CRC is CRC32C (Castagnoli).
 *
 * <h2>File</h2>
 * <pre>
 *  section          starts at                   content
 *  header           0                           48 bytes, below, with its own CRC
 *  pages            footer.pagesOffset (= 48)   the pages back to back: five column chunks each, each
 *                                               chunk with its own CRC ({@link PageFormat})
 *  page directory   footer.directoryOffset      one 52-byte entry per page ({@link PageFormat})
 *  dictionaries     footer.dictionariesOffset   sources, tag keys, tag values; version 4 on: message
 *                                               templates ({@link BlockIndex}, {@link TemplateTable})
 *  postings         footer.postingsOffset       source → pages, tag pair → pages; version 5 on: with each page's
 *                                               number of entries with the source or pair ({@link BlockIndex})
 *  bloom filters    footer.bloomsOffset         one token filter per page; its CRC is in its directory entry
 *  footer           file size − 88              88 bytes, below, with its own CRC
 * </pre>
 * The sections follow each other without gaps, in this order. Entries are sorted by source, then
 * timestamp, then id (version 1: by timestamp, then id); each page holds a consecutive run of
 * them, and its directory entry its real time span (in version 2 the spans of pages may overlap).
 *
 * <h2>Header (48 bytes, {@link #HEADER_SIZE})</h2>
 * <pre>
 *  offset  width  type  field
 *  0       4      u32   magic 0x54424C4B ("TBLK")
 *  4       2      u16   format version ({@link #CURRENT_VERSION})
 *  6       2      u16   flags, reserved, 0
 *  8       1      u8    codec id ({@link Codec#id()}) of the compressed chunks
 *  9       1      u8    tokenizer version ({@link Tokenizer#VERSION}) of the bloom filters
 *  10      1      u8    tokenizer min word length
 *  11      1      u8    tokenizer max word length
 *  12      4      u32   entry count, {@code >= 1}
 *  16      4      u32   page count, {@code >= 1}
 *  20      8      i64   min timestamp: seconds since the epoch
 *  28      4      i32   min timestamp: nanoseconds within the second
 *  32      8      i64   max timestamp: seconds
 *  40      4      i32   max timestamp: nanoseconds
 *  44      4      u32   CRC32C of bytes 0..43
 * </pre>
 *
 * <h2>Footer (88 bytes, {@link #FOOTER_SIZE})</h2>
 * <pre>
 *  offset  width  type  field
 *  0       8      u64   pages offset
 *  8       8      u64   pages length
 *  16      8      u64   page directory offset
 *  24      4      u32   page directory length
 *  28      4      u32   CRC32C of the page directory
 *  32      8      u64   dictionaries offset
 *  40      4      u32   dictionaries length
 *  44      4      u32   CRC32C of the dictionaries
 *  48      8      u64   postings offset
 *  56      4      u32   postings length
 *  60      4      u32   CRC32C of the postings
 *  64      8      u64   bloom filters offset
 *  72      4      u32   bloom filters length
 *  76      4      u32   CRC32C of the whole file before the footer (bytes 0 .. footer offset − 1)
 *  80      4      u32   footer magic 0x54424C46 ("TBLF")
 *  84      4      u32   CRC32C of footer bytes 0..83
 * </pre>
 * Opening a block checks the header, the footer and the directory, dictionary and postings CRCs;
 * a page's chunks are checked when the page is read and a page's filter when it is loaded, so a
 * damaged page fails only the reads of that page. The whole-file CRC is checked on demand
 * ({@link BlockReader#verifyChecksum()}), since it costs a read of the entire file.
 *
 * <h2>Version history</h2>
 * <ul>
 *   <li>1 — initial format: the layout above, page format 1, tokenizer 1, bloom scheme 1; entries
 *       sorted by timestamp, then id, so page time spans follow each other.</li>
 *   <li>2 — the same layout; entries sorted by source, then timestamp, then id (the lines of one
 *       source compress together), so pages' time spans may overlap and a page's timestamps
 *       ascend only within each source.</li>
 *   <li>3 — the same layout and order; the sources and tags columns store what repeats in them
 *       ({@link PageFormat}): sources as runs of one source id, tags as a table of the page's
 *       distinct tag sets and each entry's bit-packed index into it. On 1M loghub entries (LZ4,
 *       1024-entry pages), version 2 spent 1.00 bytes/entry on sources, a varint id per entry
 *       though a page sorted by source is nearly always one run, and 2.03 on tags, LZ4 of 9.12 raw
 *       bytes of a count and pairs per entry though entries repeat a handful of tag sets, of 39.2
 *       bytes/entry in all against ClickHouse's 36.3 in the same benchmark. Version 3 stores those
 *       columns in 0.01 and 0.71 bytes/entry: the entries written again as blocks of 140,000
 *       (with other ids than the benchmark's) take 40.3 bytes/entry in version 2 and 38.0 in
 *       version 3 with LZ4, 28.5 and 27.4 with Zstd.</li>
 *   <li>4 — the same layout and order; the dictionaries section ends with the block's message
 *       templates ({@link TemplateTable}), and four columns store less ({@link PageFormat}): messages
 *       as a template id per entry and the numbers (decimal and hex runs) of each template slot
 *       bit-packed, timestamps and UUIDv7 ids as bit-packed deltas with a frame of reference
 *       ({@link DeltaPacking}), ids' low halves as a table, tags as each template's usual tag set and
 *       the entries that differ. The 1M-entry ingest benchmark ({@code bench/ingest-vs-clickhouse.sh
 *       --entries 1M --recovery-wal-mb 0 --clickhouse-codecs ""}, loghub seed 42, bytes per entry from
 *       {@code io.timberdb.bench.tools.BlockSizes}; runs 20261126T061814Z at version 3,
 *       20261126T064813Z at version 4) stores, per entry, with LZ4: messages 21.31 → 7.99 plus 0.28
 *       of templates in the dictionaries, timestamps 5.21 → 4.60, ids 2.72 → 1.37, tags 0.69 → 0.27,
 *       token filters 2.28 either way; 32.4 → 17.0 bytes/entry in all. With Zstd (level 3): messages
 *       15.94 → 7.95 (+ 0.24), timestamps 5.00 → 4.59, ids 2.73 → 1.37, tags 0.70 → 0.27; 26.9 →
 *       16.9. The numbers are random digits in this data set and take most of what is left. With
 *       the token filters' default rate since raised from 1% to 2% ({@link BlockOptions}; 1.94
 *       bytes/entry), run 20261126T070439Z: 16.7 with LZ4, 16.6 with Zstd; at 10M entries
 *       (20261126T071311Z) 16.1 with either.</li>
 *   <li>5 — the same layout, order and pages; each posting list of the postings section is followed
 *       by, per page of the list, how many of the page's entries have its source or tag pair, a
 *       varint from the nearer end of the page ({@link io.timberdb.storage.index.Postings}), so that
 *       counts of entries by source or tag value over whole pages come from the index without
 *       reading pages ({@link BlockReader#sourceCounts()}, {@link BlockReader#tagValueCounts}).
 *       Open checks each count is in 1..its page's entries, a page's source counts add up to its
 *       entries and one tag key's counts to at most them. On the 10M entries of a data directory of
 *       version 4 blocks (LZ4), each written again with default options by the version 4 and the
 *       version 5 writer ({@code io.timberdb.bench.tools.BlockSizes --rewrite-to}; 9,780 pages of
 *       1,022 entries on average), 224,310 counts take 267,618 bytes, 1.19 a count: postings 0.0265
 *       → 0.0533 bytes/entry, 15.89 → 15.92 in all (+0.17%). Storing {@code entries − count}
 *       alone took 423,520 bytes (0.0689 bytes/entry of postings): a tag value is often in only a
 *       few of a page's entries.</li>
 *   <li>6 — the same layout; a run of {@link DeltaPacking} deltas (the timestamps, the ids' counters)
 *       may code its offsets with a Rice code instead of a fixed width, flagged in its width byte,
 *       when that is smaller. On the blocks of a 10M-entry Zstd ingest (run 20261126T114435Z,
 *       version 5, read back and encoded again), timestamps take 3.95 bytes/entry instead of 4.05:
 *       the benchmark's timestamps are random nanoseconds, whose gaps a fixed width codes poorly.</li>
 * </ul>
 *
 * <p>Stateless; thread-safe.
 */
final class BlockFormat {

    /** "TBLK" in ASCII. */
    static final int MAGIC = 0x54424C4B;
    /** "TBLF" in ASCII. */
    static final int FOOTER_MAGIC = 0x54424C46;
    /** The oldest version this build reads. */
    static final int MIN_SUPPORTED_VERSION = 1;
    /** The version this build writes. */
    static final int CURRENT_VERSION = 6;
    /** The last version whose entries are sorted by time alone (pages in time order). */
    static final int TIME_ORDERED_VERSION = 1;
    /** The first version whose sources are run-length encoded and whose tags are a table of the page's tag sets. */
    static final int COMPACT_COLUMNS_VERSION = 3;
    /** The first version with bit-packed timestamp and id deltas and messages as templates and numbers. */
    static final int TEMPLATED_VERSION = 4;
    /** The first version whose postings hold, per page, how many of its entries have the source or tag pair. */
    static final int POSTING_COUNTS_VERSION = 5;
    /** The first version whose bit-packed deltas may be Rice-coded ({@link DeltaPacking}). */
    static final int RICE_VERSION = 6;

    static final int MAGIC_OFFSET = 0;
    static final int MAGIC_LENGTH = 4;
    static final int VERSION_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
    static final int VERSION_LENGTH = 2;
    static final int FLAGS_OFFSET = VERSION_OFFSET + VERSION_LENGTH;
    static final int FLAGS_LENGTH = 2;
    static final int CODEC_OFFSET = FLAGS_OFFSET + FLAGS_LENGTH;
    static final int CODEC_LENGTH = 1;
    static final int TOKENIZER_VERSION_OFFSET = CODEC_OFFSET + CODEC_LENGTH;
    static final int TOKENIZER_VERSION_LENGTH = 1;
    static final int MIN_WORD_OFFSET = TOKENIZER_VERSION_OFFSET + TOKENIZER_VERSION_LENGTH;
    static final int MIN_WORD_LENGTH = 1;
    static final int MAX_WORD_OFFSET = MIN_WORD_OFFSET + MIN_WORD_LENGTH;
    static final int MAX_WORD_LENGTH = 1;
    static final int ENTRY_COUNT_OFFSET = MAX_WORD_OFFSET + MAX_WORD_LENGTH;
    static final int ENTRY_COUNT_LENGTH = 4;
    static final int PAGE_COUNT_OFFSET = ENTRY_COUNT_OFFSET + ENTRY_COUNT_LENGTH;
    static final int PAGE_COUNT_LENGTH = 4;
    static final int MIN_TIMESTAMP_OFFSET = PAGE_COUNT_OFFSET + PAGE_COUNT_LENGTH;
    static final int TIMESTAMP_LENGTH = 12;
    static final int MAX_TIMESTAMP_OFFSET = MIN_TIMESTAMP_OFFSET + TIMESTAMP_LENGTH;
    static final int HEADER_CRC_OFFSET = MAX_TIMESTAMP_OFFSET + TIMESTAMP_LENGTH;
    static final int CRC_LENGTH = 4;
    /** Size of the header; the first page starts here. */
    static final int HEADER_SIZE = HEADER_CRC_OFFSET + CRC_LENGTH;

    static final int PAGES_OFFSET_OFFSET = 0;
    static final int PAGES_LENGTH_OFFSET = PAGES_OFFSET_OFFSET + 8;
    static final int DIRECTORY_OFFSET_OFFSET = PAGES_LENGTH_OFFSET + 8;
    static final int DIRECTORY_LENGTH_OFFSET = DIRECTORY_OFFSET_OFFSET + 8;
    static final int DIRECTORY_CRC_OFFSET = DIRECTORY_LENGTH_OFFSET + 4;
    static final int DICTIONARIES_OFFSET_OFFSET = DIRECTORY_CRC_OFFSET + CRC_LENGTH;
    static final int DICTIONARIES_LENGTH_OFFSET = DICTIONARIES_OFFSET_OFFSET + 8;
    static final int DICTIONARIES_CRC_OFFSET = DICTIONARIES_LENGTH_OFFSET + 4;
    static final int POSTINGS_OFFSET_OFFSET = DICTIONARIES_CRC_OFFSET + CRC_LENGTH;
    static final int POSTINGS_LENGTH_OFFSET = POSTINGS_OFFSET_OFFSET + 8;
    static final int POSTINGS_CRC_OFFSET = POSTINGS_LENGTH_OFFSET + 4;
    static final int BLOOMS_OFFSET_OFFSET = POSTINGS_CRC_OFFSET + CRC_LENGTH;
    static final int BLOOMS_LENGTH_OFFSET = BLOOMS_OFFSET_OFFSET + 8;
    static final int FILE_CRC_OFFSET = BLOOMS_LENGTH_OFFSET + 4;
    static final int FOOTER_MAGIC_OFFSET = FILE_CRC_OFFSET + CRC_LENGTH;
    static final int FOOTER_CRC_OFFSET = FOOTER_MAGIC_OFFSET + MAGIC_LENGTH;
    /** Size of the footer, the last bytes of the file. */
    static final int FOOTER_SIZE = FOOTER_CRC_OFFSET + CRC_LENGTH;

    private BlockFormat() {
    }

    /** Encodes the header of the current version. */
    static byte[] encodeHeader(BlockHeader header) {
        ByteSink sink = new ByteSink(HEADER_SIZE);
        sink.putInt(MAGIC).putShort(CURRENT_VERSION).putShort(0)
                .u8(header.codec().id()).u8(Tokenizer.VERSION)
                .u8(header.tokenizer().minWordLength()).u8(header.tokenizer().maxWordLength())
                .putInt(header.entryCount()).putInt(header.pageCount());
        putTimestamp(sink, header.minTimestamp());
        putTimestamp(sink, header.maxTimestamp());
        sink.putInt(crc(sink.array(), 0, HEADER_CRC_OFFSET));
        return sink.toByteArray();
    }

    /**
     * Checks magic, version and CRC of a header ({@code bytes} may be shorter than a header when
     * the file is) and decodes it.
     *
     * @throws CorruptBlockException when the magic, the CRC or a field is wrong, or the file is too short
     * @throws UnsupportedBlockVersionException when the version is not one this build reads
     */
    static BlockHeader decodeHeader(Path file, byte[] bytes) {
        if (bytes.length < MAGIC_LENGTH) {
            throw new CorruptBlockException(file, 0, "truncated: " + bytes.length + " bytes is not even a magic number");
        }
        ByteSource in = new ByteSource(bytes);
        int magic = in.getInt();
        if (magic != MAGIC) {
            throw new CorruptBlockException(file, MAGIC_OFFSET, String.format("bad magic 0x%08X, not a block file", magic));
        }
        if (bytes.length < VERSION_OFFSET + VERSION_LENGTH) {
            throw new CorruptBlockException(file, bytes.length, "truncated inside the header");
        }
        int version = in.getShort();
        if (version < MIN_SUPPORTED_VERSION || version > CURRENT_VERSION) {
            throw new UnsupportedBlockVersionException(file, version);
        }
        if (bytes.length < HEADER_SIZE) {
            throw new CorruptBlockException(file, bytes.length, "truncated inside the " + HEADER_SIZE + "-byte header");
        }
        if (getInt(bytes, HEADER_CRC_OFFSET) != crc(bytes, 0, HEADER_CRC_OFFSET)) {
            throw new CorruptBlockException(file, HEADER_CRC_OFFSET, "header CRC mismatch");
        }
        in.skip(FLAGS_LENGTH);
        int codecId = in.u8();
        Codec codec = Codec.byId(codecId).orElseThrow(() ->
                new CorruptBlockException(file, CODEC_OFFSET, "unknown codec id " + codecId));
        int tokenizerVersion = in.u8();
        if (tokenizerVersion != Tokenizer.VERSION) {
            throw new CorruptBlockException(file, TOKENIZER_VERSION_OFFSET, "unknown tokenizer version " + tokenizerVersion);
        }
        int minWord = in.u8();
        int maxWord = in.u8();
        int entryCount = in.getInt();
        int pageCount = in.getInt();
        if (minWord < 1 || minWord > maxWord || entryCount < 1 || pageCount < 1 || pageCount > entryCount) {
            throw new CorruptBlockException(file, MIN_WORD_OFFSET, "impossible header fields: words " + minWord + ".."
                    + maxWord + ", " + Integer.toUnsignedString(entryCount) + " entries in " + Integer.toUnsignedString(pageCount) + " pages");
        }
        Instant min = timestamp(file, MIN_TIMESTAMP_OFFSET, in);
        Instant max = timestamp(file, MAX_TIMESTAMP_OFFSET, in);
        if (max.isBefore(min)) {
            throw new CorruptBlockException(file, MIN_TIMESTAMP_OFFSET, "max timestamp " + max + " before min " + min);
        }
        return new BlockHeader(version, codec, new Tokenizer(minWord, maxWord), entryCount, pageCount, min, max);
    }

    /** Encodes a footer, computing its CRC. */
    static byte[] encodeFooter(BlockFooter footer) {
        ByteSink sink = new ByteSink(FOOTER_SIZE);
        sink.putLong(footer.pagesOffset()).putLong(footer.pagesLength())
                .putLong(footer.directoryOffset()).putInt(footer.directoryLength()).putInt(footer.directoryCrc())
                .putLong(footer.dictionariesOffset()).putInt(footer.dictionariesLength()).putInt(footer.dictionariesCrc())
                .putLong(footer.postingsOffset()).putInt(footer.postingsLength()).putInt(footer.postingsCrc())
                .putLong(footer.bloomsOffset()).putInt(footer.bloomsLength())
                .putInt(footer.fileCrc()).putInt(FOOTER_MAGIC);
        sink.putInt(crc(sink.array(), 0, FOOTER_CRC_OFFSET));
        return sink.toByteArray();
    }

    /**
     * Checks and decodes the footer read from {@code footerOffset}, and that its sections tile the
     * file between the header and the footer for {@code header}'s page count.
     *
     * @throws CorruptBlockException when the magic, the CRC or the section layout is wrong
     */
    static BlockFooter decodeFooter(Path file, byte[] bytes, long footerOffset, BlockHeader header) {
        if (getInt(bytes, FOOTER_MAGIC_OFFSET) != FOOTER_MAGIC) {
            throw new CorruptBlockException(file, footerOffset + FOOTER_MAGIC_OFFSET,
                    "no footer magic at the end of the file: truncated or not completely written");
        }
        if (getInt(bytes, FOOTER_CRC_OFFSET) != crc(bytes, 0, FOOTER_CRC_OFFSET)) {
            throw new CorruptBlockException(file, footerOffset + FOOTER_CRC_OFFSET, "footer CRC mismatch");
        }
        ByteSource in = new ByteSource(bytes);
        BlockFooter footer = new BlockFooter(in.getLong(), in.getLong(), in.getLong(), in.getInt(), in.getInt(),
                in.getLong(), in.getInt(), in.getInt(), in.getLong(), in.getInt(), in.getInt(),
                in.getLong(), in.getInt(), in.getInt());
        long expectedDirectory = (long) header.pageCount() * PageFormat.DIRECTORY_ENTRY_SIZE;
        boolean tiled = footer.pagesOffset() == HEADER_SIZE
                && footer.pagesLength() >= 0
                && footer.directoryOffset() == footer.pagesOffset() + footer.pagesLength()
                && Integer.toUnsignedLong(footer.directoryLength()) == expectedDirectory
                && footer.dictionariesOffset() == footer.directoryOffset() + Integer.toUnsignedLong(footer.directoryLength())
                && footer.postingsOffset() == footer.dictionariesOffset() + Integer.toUnsignedLong(footer.dictionariesLength())
                && footer.bloomsOffset() == footer.postingsOffset() + Integer.toUnsignedLong(footer.postingsLength())
                && footerOffset == footer.bloomsOffset() + Integer.toUnsignedLong(footer.bloomsLength())
                && footer.dictionariesLength() >= 0 && footer.postingsLength() >= 0 && footer.bloomsLength() >= 0;
        if (!tiled) {
            throw new CorruptBlockException(file, footerOffset, "footer sections do not tile the file: " + footer);
        }
        return footer;
    }

    /** CRC32C of {@code length} bytes of {@code bytes} from {@code offset}. */
    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    static void putTimestamp(ByteSink sink, Instant timestamp) {
        sink.putLong(timestamp.getEpochSecond()).putInt(timestamp.getNano());
    }

    /** Reads seconds and nanoseconds at {@code in}'s position; {@code offset} is for the error message. */
    static Instant timestamp(Path file, long offset, ByteSource in) {
        long seconds = in.getLong();
        int nanos = in.getInt();
        if (nanos < 0 || nanos > 999_999_999) {
            throw new CorruptBlockException(file, offset, "nanoseconds " + nanos + " out of range");
        }
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (DateTimeException e) {
            throw new CorruptBlockException(file, offset, "timestamp seconds " + seconds + " out of range");
        }
    }

    private static int getInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16
                | (bytes[offset + 2] & 0xFF) << 8 | (bytes[offset + 3] & 0xFF);
    }
}
