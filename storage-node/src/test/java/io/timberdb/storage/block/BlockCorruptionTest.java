package io.timberdb.storage.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.timberdb.model.api.QueryFilter;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage anywhere in a block is reported as such, never returned as data. */
class BlockCorruptionTest {

    @TempDir
    Path dir;

    private Path written;
    private byte[] original;
    private Path damaged;
    /** Caches disabled, so every read goes to the file. */
    private final BlockCache cache = new BlockCache(0, 0);

    @BeforeEach
    void writeBlock() throws IOException {
        written = BlockFixtures.write(dir, Codec.LZ4);
        original = Files.readAllBytes(written);
        damaged = dir.resolve("damaged.tblk");
    }

    private void writeDamaged(byte[] bytes) throws IOException {
        Files.write(damaged, bytes);
    }

    private byte[] flipped(long offset) {
        byte[] bytes = original.clone();
        bytes[(int) offset] ^= (byte) (1 << (offset % 8));
        return bytes;
    }

    private BlockFooter footer() {
        BlockHeader header = BlockFormat.decodeHeader(dir, original);
        int footerOffset = original.length - BlockFormat.FOOTER_SIZE;
        return BlockFormat.decodeFooter(dir, Arrays.copyOfRange(original, footerOffset, original.length), footerOffset, header);
    }

    @Test
    void aTruncatedBlockIsCorruptAtEveryLength() throws IOException {
        for (int length = 0; length < original.length; length++) {
            writeDamaged(Arrays.copyOf(original, length));
            assertThatThrownBy(() -> BlockReader.open(damaged, cache)).as("truncated to %d bytes", length)
                    .isInstanceOf(CorruptBlockException.class);
        }
    }

    @Test
    void bytesAppendedAfterTheFooterAreDetected() throws IOException {
        byte[] longer = Arrays.copyOf(original, original.length + 3);
        writeDamaged(longer);
        assertThatThrownBy(() -> BlockReader.open(damaged, cache)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("footer magic");
    }

    @Test
    void aBadMagicIsReportedAtOffsetZero() throws IOException {
        byte[] bytes = original.clone();
        bytes[0] = 'X';
        writeDamaged(bytes);
        CorruptBlockException e = (CorruptBlockException) catchThrowable(() -> BlockReader.open(damaged, cache));
        assertThat(e.offset()).isZero();
        assertThat(e.file()).isEqualTo(damaged.toAbsolutePath().normalize());
        assertThat(e).hasMessageContaining("bad magic");
    }

    @Test
    void anUnknownVersionIsRejectedWithItsOwnException() throws IOException {
        for (int version : new int[] {0, BlockFormat.CURRENT_VERSION + 1, 0xFFFF}) {
            byte[] bytes = original.clone();
            bytes[BlockFormat.VERSION_OFFSET] = (byte) (version >>> 8);
            bytes[BlockFormat.VERSION_OFFSET + 1] = (byte) version;
            writeDamaged(bytes);
            assertThatThrownBy(() -> BlockReader.open(damaged, cache))
                    .isInstanceOfSatisfying(UnsupportedBlockVersionException.class, e -> assertThat(e.version()).isEqualTo(version))
                    .hasMessageContaining("this build reads 1.." + BlockFormat.CURRENT_VERSION);
        }
    }

    @Test
    void aFlippedBitInAPageFailsOnlyThatPageAtThatPagesOffset() throws IOException {
        List<PageFormat.PageEntry> pages;
        try (BlockReader reader = BlockReader.open(written, cache)) {
            pages = reader.directory();
        }
        PageFormat.PageEntry page1 = pages.get(1);
        writeDamaged(flipped(page1.offset() + page1.length() / 2));
        try (BlockReader reader = BlockReader.open(damaged, cache)) {
            assertThat(reader.readPage(0)).hasSize(pages.get(0).entryCount());
            assertThat(reader.readPage(2)).hasSize(pages.get(2).entryCount());
            CorruptBlockException e = (CorruptBlockException) catchThrowable(() -> reader.scan(QueryFilter.ALL, 1));
            assertThat(e).hasMessageContaining("page 1").hasMessageContaining("CRC mismatch");
            assertThat(e.offset()).isBetween(page1.offset(), page1.offset() + page1.length() - 1);
            assertThatThrownBy(reader::verifyChecksum).isInstanceOf(CorruptBlockException.class)
                    .hasMessageContaining("whole-file CRC");
        }
    }

    @Test
    void aFlippedBitInTheFooterFailsOpen() throws IOException {
        long footerOffset = original.length - BlockFormat.FOOTER_SIZE;
        for (long offset = footerOffset; offset < original.length; offset++) {
            writeDamaged(flipped(offset));
            CorruptBlockException e = (CorruptBlockException) catchThrowable(() -> BlockReader.open(damaged, cache));
            assertThat(e).as("bit flipped at %d", offset).isNotNull();
            assertThat(e.offset()).isGreaterThanOrEqualTo(footerOffset);
        }
    }

    @Test
    void flippedBitsInTheDirectoryDictionariesOrPostingsFailOpen() throws IOException {
        BlockFooter footer = footer();
        for (long offset : new long[] {footer.directoryOffset() + 5, footer.dictionariesOffset() + 3, footer.postingsOffset() + 1}) {
            writeDamaged(flipped(offset));
            assertThatThrownBy(() -> BlockReader.open(damaged, cache)).isInstanceOf(CorruptBlockException.class)
                    .hasMessageContaining("CRC mismatch");
        }
    }

    @Test
    void aPostingCountOfNoEntryOrMoreThanThePageHoldsFailsOpenAtThatCount() throws IOException {
        long postingsOffset = footer().postingsOffset();
        CountAt api = postingCounts().get(0);
        assertThat(api).isEqualTo(new CountAt(0, 0, 0, api.offset()));
        assertThat(original[(int) api.offset()]).as("api has 14 of page 0's 16 entries, stored as 2 * (16 - 14)")
                .isEqualTo((byte) 4);
        for (int stored : new int[] {32, 35, 0x7F}) { // 16 - 16, 18, 64 entries
            writeDamaged(withPostingsCrcsFixed(api.offset(), stored));
            CorruptBlockException e = (CorruptBlockException) catchThrowable(() -> BlockReader.open(damaged, cache));
            assertThat(e).as("stored %d", stored)
                    .hasMessageContaining("count of key 0 in page 0 at byte " + (api.offset() - postingsOffset))
                    .hasMessageContaining("is " + (stored % 2 == 0 ? 16 - stored / 2 : (stored + 1) / 2) + ", not 1..16");
            assertThat(e.offset()).as("just past the count").isEqualTo(api.offset() + 1);
        }
        writeDamaged(withPostingsCrcsFixed(api.offset(), 0)); // all 16
        assertThatThrownBy(() -> BlockReader.open(damaged, cache)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("the source counts of page 0 add up to 18, not its 16 entries");
    }

    @Test
    void tagCountsOfOneKeyAddingUpToMoreThanThePageHoldsFailOpen() throws IOException {
        Map<Integer, List<CountAt>> envByPage = new TreeMap<>();
        for (CountAt count : postingCounts()) {
            if (count.section() == 1 && count.key() >>> 32 == 0) {
                envByPage.computeIfAbsent(count.page(), page -> new ArrayList<>()).add(count);
            }
        }
        CountAt env = envByPage.values().stream().filter(values -> values.size() > 1).findFirst().orElseThrow().get(0);
        writeDamaged(withPostingsCrcsFixed(env.offset(), 0)); // one env value in every entry of a page that has two
        assertThatThrownBy(() -> BlockReader.open(damaged, cache)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("the counts of tag key 0 in page " + env.page() + " add up to");
    }

    /** Where a count of the postings is: section 0 (sources) or 1 (tag pairs), its key and page, its file offset. */
    private record CountAt(int section, long key, int page, long offset) {
    }

    /** Every count of the original block's postings, in file order. */
    private List<CountAt> postingCounts() {
        BlockFooter footer = footer();
        ByteSource in = new ByteSource(original, (int) footer.postingsOffset(), footer.postingsLength());
        List<CountAt> counts = new ArrayList<>();
        for (int section = 0; section < 2; section++) {
            long key = 0;
            for (int keys = in.varint(), k = 0; k < keys; k++) {
                key += in.varlong();
                int[] pages = new int[in.varint()];
                for (int i = 0; i < pages.length; i++) {
                    pages[i] = (i == 0 ? 0 : pages[i - 1]) + in.varint();
                }
                for (int page : pages) {
                    counts.add(new CountAt(section, key, page, footer.postingsOffset() + in.position()));
                    in.varint();
                }
            }
        }
        return counts;
    }

    /** The original block with byte {@code offset} of its postings set to {@code value} and every CRC fixed. */
    private byte[] withPostingsCrcsFixed(long offset, int value) {
        BlockFooter footer = footer();
        byte[] bytes = original.clone();
        bytes[(int) offset] = (byte) value;
        int footerOffset = bytes.length - BlockFormat.FOOTER_SIZE;
        putInt(bytes, footerOffset + BlockFormat.POSTINGS_CRC_OFFSET,
                BlockFormat.crc(bytes, (int) footer.postingsOffset(), footer.postingsLength()));
        putInt(bytes, footerOffset + BlockFormat.FILE_CRC_OFFSET, BlockFormat.crc(bytes, 0, footerOffset));
        putInt(bytes, footerOffset + BlockFormat.FOOTER_CRC_OFFSET, BlockFormat.crc(bytes, footerOffset, BlockFormat.FOOTER_CRC_OFFSET));
        return bytes;
    }

    private static void putInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    @Test
    void aFlippedBitInAPageTokenFilterFailsOnlyQueriesThatNeedIt() throws IOException {
        writeDamaged(flipped(footer().bloomsOffset() + 10));
        try (BlockReader reader = BlockReader.open(damaged, cache)) {
            assertThat(reader.candidatePages(new QueryFilter(null, "api", Map.of(), null))).isNotEmpty();
            assertThatThrownBy(() -> reader.candidatePages(new QueryFilter(null, null, Map.of(), " error ")))
                    .isInstanceOf(CorruptBlockException.class).hasMessageContaining("page 0 token filter CRC mismatch");
        }
    }

    @Test
    void everySingleBitFlipIsDetectedByOpenPagesOrFilters() throws IOException {
        for (long offset = 0; offset < original.length; offset++) {
            writeDamaged(flipped(offset));
            Throwable failure = catchThrowable(this::readEverything);
            assertThat(failure).as("bit flipped at offset %d of %d went unnoticed", offset, original.length)
                    .isInstanceOfAny(CorruptBlockException.class, UnsupportedBlockVersionException.class);
        }
    }

    private void readEverything() throws IOException {
        try (BlockReader reader = BlockReader.open(damaged, cache)) {
            for (int page = 0; page < reader.pageCount(); page++) {
                reader.readPage(page);
                reader.bloom(page);
            }
        }
    }

    @Test
    void junkIsNotABlock() throws IOException {
        byte[] junk = new byte[original.length];
        new Random(1).nextBytes(junk);
        writeDamaged(junk);
        assertThatThrownBy(() -> BlockReader.open(damaged, cache)).isInstanceOf(CorruptBlockException.class);
        byte[] zeros = new byte[original.length];
        writeDamaged(zeros);
        assertThatThrownBy(() -> BlockReader.open(damaged, cache)).isInstanceOf(CorruptBlockException.class);
    }
}
