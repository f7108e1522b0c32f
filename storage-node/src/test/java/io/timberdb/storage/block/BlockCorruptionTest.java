package io.timberdb.storage.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.timberdb.model.api.QueryFilter;
import io.timberdb.storage.codec.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
