package io.timberdb.storage.block;

import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of a page — a run of up to {@link BlockOptions#pageEntries()} consecutive entries of
 * a block, stored column by column — and of the page directory entry that locates it. Part of
 * the block format ({@link BlockFormat}); a column whose layout changed between format versions
 * gives each; big-endian, varints as in {@link io.timberdb.storage.codec.ByteSink}.
 *
 * <h2>Page</h2>
 * Five column chunks back to back, in this order: timestamps, ids, sources, tags, messages.
 *
 * <h2>Column chunk (13-byte header + stored bytes)</h2>
 * <pre>
 *  offset  width  type  field
 *  0       4      u32   CRC32C of every byte of the chunk after this field (header and stored bytes)
 *  4       1      u8    encoding: 0 = stored as is, 1 = compressed with the block's codec
 *  5       4      u32   uncompressed length, at most 2^30
 *  9       4      u32   stored length (equal to the uncompressed length when raw)
 *  13      ...          stored bytes
 * </pre>
 * A chunk is compressed when it is at least {@code compression_threshold} bytes and the codec
 * makes it smaller.
 *
 * <h2>Columns (uncompressed content; {@code n} = the page's entry count)</h2>
 * <pre>
 *  timestamps  u8 scale s, then
 *                s in {0, 3, 6, 9}: n × zigzag varlong (t[i] − t[i−1]), t[−1] = 0, 64-bit wrapping,
 *                  where t = seconds · 10^s + nanos / 10^(9−s) ("ticks": s decimal digits of the second);
 *                  s is the coarsest scale that keeps every timestamp of the page exact
 *                s = 255: n × (zigzag varlong (seconds[i] − seconds[i−1]), varint nanos[i]),
 *                  used when ticks would overflow 64 bits (timestamps beyond ±292 years at nanosecond scale)
 *  ids         u8 encoding, then
 *                0 (every id of the page is a canonical lower-case UUID string):
 *                  n × (zigzag varlong (msb[i] − msb[i−1]), varlong (lsb[i] XOR lsb[i−1])), msb[−1] = lsb[−1] = 0;
 *                  UUIDv7 ids of one generator are time-ordered and share their low half, so most take a few bytes
 *                1: n × string (varint UTF-8 length, bytes)
 *  sources     versions 1, 2: n × varint source id (dictionary, {@link BlockIndex})
 *              version 3: runs of consecutive entries of one source (a page sorted by source is
 *                nearly always one run): varint r (run count, 1..n), then
 *                r × (varint source id, varint run length, {@code >= 1}); the lengths add up to n
 *  tags        versions 1, 2: n × tag set, where a tag set is
 *                varint tag count c, then c × (varint key id, varint value id), pairs in key order
 *              version 3: a table of the page's distinct tag sets, then each entry's index into it
 *                (entries repeat a handful of sets):
 *                varint k (distinct sets, 1..n), then k × tag set, in order of first appearance;
 *                u8 w, bits per index: the smallest w with 2^w ≥ k ({@link #indexBits});
 *                  0 when k = 1, and then no index bytes follow;
 *                ceil(n·w / 8) bytes: n × w-bit index, packed most significant bit first, the
 *                  last byte's unused low bits 0 (k = 3, indexes 0 1 2 1 0: w = 2, bytes 0x19 0x00)
 *  messages    n × string
 * </pre>
 * A decoder rejects a page whose runs do not add up to n, whose w is not the one for k, whose
 * index bytes are not exactly ceil(n·w / 8) with zero padding, or whose index is k or more.
 *
 * <h2>Page directory entry (52 bytes)</h2>
 * <pre>
 *  offset  width  type  field
 *  0       8      u64   page offset in the file
 *  8       4      u32   page length
 *  12      4      u32   entry count, {@code >= 1}
 *  16      8      i64   min timestamp seconds
 *  24      4      i32   min timestamp nanoseconds
 *  28      8      i64   max timestamp seconds
 *  36      4      i32   max timestamp nanoseconds
 *  40      4      u32   offset of the page's bloom filter within the bloom filters section
 *  44      4      u32   length of that bloom filter
 *  48      4      u32   CRC32C of that bloom filter
 * </pre>
 * Pages and their filters are laid out in page order without gaps.
 *
 * <p>Stateless; thread-safe.
 */
final class PageFormat {

    static final int COLUMN_COUNT = 5;
    static final String[] COLUMN_NAMES = {"timestamps", "ids", "sources", "tags", "messages"};

    static final int CHUNK_CRC_OFFSET = 0;
    static final int CHUNK_CRC_LENGTH = 4;
    static final int ENCODING_OFFSET = CHUNK_CRC_OFFSET + CHUNK_CRC_LENGTH;
    static final int ENCODING_LENGTH = 1;
    static final int UNCOMPRESSED_LENGTH_OFFSET = ENCODING_OFFSET + ENCODING_LENGTH;
    static final int UNCOMPRESSED_LENGTH_LENGTH = 4;
    static final int STORED_LENGTH_OFFSET = UNCOMPRESSED_LENGTH_OFFSET + UNCOMPRESSED_LENGTH_LENGTH;
    static final int STORED_LENGTH_LENGTH = 4;
    /** Size of a chunk header; the stored bytes start here. */
    static final int CHUNK_HEADER_SIZE = STORED_LENGTH_OFFSET + STORED_LENGTH_LENGTH;

    static final int ENCODING_RAW = 0;
    static final int ENCODING_COMPRESSED = 1;
    /** The largest column accepted, uncompressed (the writer's pages are far smaller). */
    static final int MAX_COLUMN_LENGTH = 1 << 30;

    static final int TIMESTAMPS_SPLIT = 255;
    static final int IDS_UUID = 0;
    static final int IDS_STRINGS = 1;

    static final int ENTRY_PAGE_OFFSET_OFFSET = 0;
    static final int ENTRY_PAGE_LENGTH_OFFSET = ENTRY_PAGE_OFFSET_OFFSET + 8;
    static final int ENTRY_COUNT_OFFSET = ENTRY_PAGE_LENGTH_OFFSET + 4;
    static final int ENTRY_MIN_TIMESTAMP_OFFSET = ENTRY_COUNT_OFFSET + 4;
    static final int ENTRY_MAX_TIMESTAMP_OFFSET = ENTRY_MIN_TIMESTAMP_OFFSET + BlockFormat.TIMESTAMP_LENGTH;
    static final int ENTRY_BLOOM_OFFSET_OFFSET = ENTRY_MAX_TIMESTAMP_OFFSET + BlockFormat.TIMESTAMP_LENGTH;
    static final int ENTRY_BLOOM_LENGTH_OFFSET = ENTRY_BLOOM_OFFSET_OFFSET + 4;
    static final int ENTRY_BLOOM_CRC_OFFSET = ENTRY_BLOOM_LENGTH_OFFSET + 4;
    static final int DIRECTORY_ENTRY_SIZE = ENTRY_BLOOM_CRC_OFFSET + 4;

    private PageFormat() {
    }

    /** The bits of a version 3 tag set index among {@code sets} sets: the smallest w with 2^w ≥ sets. */
    static int indexBits(int sets) {
        return Integer.SIZE - Integer.numberOfLeadingZeros(sets - 1);
    }

    /** One page directory entry, decoded. */
    record PageEntry(long offset, int length, int entryCount, Instant minTimestamp, Instant maxTimestamp,
            int bloomOffset, int bloomLength, int bloomCrc) {
    }

    static void writeDirectoryEntry(ByteSink sink, PageEntry entry) {
        sink.putLong(entry.offset()).putInt(entry.length()).putInt(entry.entryCount());
        BlockFormat.putTimestamp(sink, entry.minTimestamp());
        BlockFormat.putTimestamp(sink, entry.maxTimestamp());
        sink.putInt(entry.bloomOffset()).putInt(entry.bloomLength()).putInt(entry.bloomCrc());
    }

    /**
     * Decodes a CRC-checked directory and checks that it agrees with the header and footer: pages
     * and filters tile their sections, entry counts add up, and timestamps are in order.
     *
     * @throws CorruptBlockException when it does not
     */
    static List<PageEntry> readDirectory(Path file, byte[] bytes, BlockHeader header, BlockFooter footer) {
        ByteSource in = new ByteSource(bytes);
        List<PageEntry> pages = new ArrayList<>(header.pageCount());
        long nextPage = footer.pagesOffset();
        long nextBloom = 0;
        long entries = 0;
        Instant previousMax = header.minTimestamp();
        Instant overallMin = Instant.MAX;
        Instant overallMax = Instant.MIN;
        for (int i = 0; i < header.pageCount(); i++) {
            long at = footer.directoryOffset() + (long) i * DIRECTORY_ENTRY_SIZE;
            long offset = in.getLong();
            int length = in.getInt();
            int count = in.getInt();
            Instant min = BlockFormat.timestamp(file, at + ENTRY_MIN_TIMESTAMP_OFFSET, in);
            Instant max = BlockFormat.timestamp(file, at + ENTRY_MAX_TIMESTAMP_OFFSET, in);
            PageEntry entry = new PageEntry(offset, length, count, min, max, in.getInt(), in.getInt(), in.getInt());
            boolean valid = offset == nextPage && length >= COLUMN_COUNT * CHUNK_HEADER_SIZE && count >= 1
                    && Integer.toUnsignedLong(entry.bloomOffset()) == nextBloom && entry.bloomLength() >= 0
                    && (header.formatVersion() > BlockFormat.TIME_ORDERED_VERSION || !min.isBefore(previousMax))
                    && !max.isBefore(min);
            if (!valid) {
                throw new CorruptBlockException(file, at, "page directory entry " + i + " is inconsistent: " + entry);
            }
            nextPage += length;
            nextBloom += entry.bloomLength();
            entries += count;
            previousMax = max;
            overallMin = min.isBefore(overallMin) ? min : overallMin;
            overallMax = max.isAfter(overallMax) ? max : overallMax;
            pages.add(entry);
        }
        boolean complete = nextPage == footer.directoryOffset() && nextBloom == Integer.toUnsignedLong(footer.bloomsLength())
                && entries == header.entryCount() && overallMin.equals(header.minTimestamp())
                && overallMax.equals(header.maxTimestamp());
        if (!complete) {
            throw new CorruptBlockException(file, footer.directoryOffset(),
                    "page directory does not add up to the header's entries, time range and sections");
        }
        return List.copyOf(pages);
    }
}
