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
 *                s in {0, 3, 6, 9}: the ticks t, where t = seconds · 10^s + nanos / 10^(9−s) ("ticks": s decimal
 *                  digits of the second); s is the coarsest scale that keeps every timestamp of the page exact;
 *                  versions 1..3: n × zigzag varlong (t[i] − t[i−1]), t[−1] = 0, 64-bit wrapping;
 *                  version 4: t[0..n) as {@link DeltaPacking} (bit-packed deltas, frame of reference); the
 *                    deltas at entries whose source differs from the previous entry's are always exceptions
 *                s = 255: n × (zigzag varlong (seconds[i] − seconds[i−1]), varint nanos[i]), every version;
 *                  used when ticks would overflow 64 bits (timestamps beyond ±292 years at nanosecond scale)
 *  ids         u8 encoding, then
 *                0 (every id of the page is a canonical lower-case UUID string):
 *                  n × (zigzag varlong (msb[i] − msb[i−1]), varlong (lsb[i] XOR lsb[i−1])), msb[−1] = lsb[−1] = 0;
 *                  UUIDv7 ids of one generator are time-ordered and share their low half, so most take a few bytes;
 *                  version 4 writes it only when some id is not of version 7
 *                1: n × string (varint UTF-8 length, bytes)
 *                2 (version 4; every id a canonical UUID of version 7, msb bits 12..15 = 0111):
 *                  c[0..n) as {@link DeltaPacking}, exceptions as for the timestamps, where
 *                  c = (msb >>> 16) << 12 | (msb & 0xFFF), the millisecond then the sequence
 *                  ({@link #uuid7Counter}; below 2^60), so one generator's consecutive ids differ by a small count;
 *                  varint k (distinct low halves, 1..n), k × u64 lsb in order of first appearance,
 *                  u8 w = {@link #indexBits}(k), n × w-bit index into them ({@link BitPacking}; w = 0 when k = 1)
 *  sources     versions 1, 2: n × varint source id (dictionary, {@link BlockIndex})
 *              version 3 on: runs of consecutive entries of one source (a page sorted by source is
 *                nearly always one run): varint r (run count, 1..n), then
 *                r × (varint source id, varint run length, {@code >= 1}); the lengths add up to n
 *  tags        versions 1, 2: n × tag set, where a tag set is
 *                varint tag count c, then c × (varint key id, varint value id), pairs in key order
 *              version 3 on: a table of the page's distinct tag sets, then each entry's index into it
 *                (entries repeat a handful of sets):
 *                varint k (distinct sets, 1..n), then k × tag set, in order of first appearance;
 *                u8 w, bits per index: the smallest w with 2^w ≥ k ({@link #indexBits});
 *                  0 when k = 1, and then no index bytes follow;
 *                version 3: ceil(n·w / 8) bytes: n × w-bit index, packed most significant bit first, the
 *                  last byte's unused low bits 0 (k = 3, indexes 0 1 2 1 0: w = 2, bytes 0x19 0x00)
 *                version 4 (the lines of one message template nearly always carry one tag set): varint x,
 *                  then x × (varint e − e' − 1, varint set index) for the entries e, ascending (e' the
 *                  previous such entry, −1 for the first), whose set is not their template's usual one;
 *                  then the messages column's m page templates' usual sets, m × w-bit index ({@link BitPacking})
 *  messages    versions 1..3: n × string
 *              version 4: templates and numbers ({@link MessageTemplates}); the templates themselves are
 *                the block's ({@link TemplateTable}, in the dictionaries section), referred to by id:
 *                varint k (templates of the page, 1..n), then k × varint (id[j] − id[j−1] − 1), id[−1] = −1:
 *                  the ids ascending;
 *                u8 w = {@link #indexBits}(k), n × w-bit index into those k ids ({@link BitPacking});
 *                then one bit stream ({@link BitPacking}) to the column's end: for each of the k templates, for
 *                  each of its slots in order, the numbers of that slot of the page's entries of that template
 *                  in entry order: 7-bit b (their bits, 0..64), 1-bit f; when f = 1, 7-bit m and m-bit min,
 *                  else min = 0; then b-bit (number − min) for each entry; numbers are unsigned 64-bit
 * </pre>
 * A version 4 template is a message's UTF-8 bytes with these runs replaced by slots, scanning runs of
 * {@code [0-9a-f]}: a run of up to {@value #MAX_HEX_DIGITS} chars with both digits and letters is
 * 0x03 w ({@link #HEX_NUMBER}, w its length; printed back as w lower-case hex digits); in any other such
 * run, each maximal run of ASCII digits of at most {@value #MAX_NUMBER_DIGITS} digits is 0x01
 * ({@link #NUMBER}) when it does not start with 0 or is the single digit 0 (printed back as is), or 0x02 w
 * ({@link #PADDED_NUMBER}) when it starts with 0 and has w = 2..19 digits (printed back zero-padded to w);
 * longer digit runs and the letters stay text. A message byte 0x01..0x04 is written 0x04 ({@link #ESCAPE})
 * and the byte. "took 0042 ms, 7 retries at 0x1fc0" is the template
 * {@code "took " 02 04 " ms, " 01 " retries at " 01 "x" 03 04} with numbers 42, 7, 0 and 0x1fc0.
 * A decoder rejects a bad slot width or escape, a template id not in the block's table, an index of k
 * or more, a number that does not fit its slot (19 digits for 0x01, not starting with 0 in w digits for
 * 0x02, w hex digits for 0x03) or a min + offset that overflows, and any byte left over.
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
    /** Version 4: every id a canonical UUID of version 7, stored as {@link #uuid7Counter} deltas and a table of low halves. */
    static final int IDS_UUID7 = 2;
    static final long UUID_VERSION_MASK = 0xF000L;
    static final long UUID_VERSION_7 = 0x7000L;

    /** Version 4 messages: a template's decimal slot (the digits without a leading 0, or one 0). */
    static final byte NUMBER = 0x01;
    /** Version 4 messages: a decimal slot of the next byte's width, 2..19 digits, the first of them 0. */
    static final byte PADDED_NUMBER = 0x02;
    /** Version 4 messages: a hex slot of the next byte's width, 2..16 lower-case hex digits, some of them letters. */
    static final byte HEX_NUMBER = 0x03;
    /** Version 4 messages: the next byte is literal text (one of 0x01..0x04). */
    static final byte ESCAPE = 0x04;
    /** The most digits a decimal slot holds; longer runs stay text. 10^19 − 1 is below 2^64. */
    static final int MAX_NUMBER_DIGITS = 19;
    /** The most digits a hex slot holds. */
    static final int MAX_HEX_DIGITS = 16;
    /** Version 4 messages: the bits of a slot's width field (0..64). */
    static final int SLOT_WIDTH_BITS = 7;

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

    /**
     * The high half of a version 7 UUID without its version bits: the 48-bit millisecond, then the
     * 12-bit sequence, a 60-bit count that grows by one per id within a millisecond.
     */
    static long uuid7Counter(long high) {
        return high >>> 16 << 12 | high & 0xFFF;
    }

    /** The high half of a version 7 UUID from its {@link #uuid7Counter} (which must be below 2^60). */
    static long uuid7High(long counter) {
        return counter >>> 12 << 16 | UUID_VERSION_7 | counter & 0xFFF;
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
