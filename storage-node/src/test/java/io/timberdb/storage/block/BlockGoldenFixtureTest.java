package io.timberdb.storage.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.storage.codec.Codec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped block format versions stay readable, and the writer's output does not drift. */
class BlockGoldenFixtureTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Codec.class)
    void readsTheVersion1GoldenBlockOfEveryCodec(Codec codec) throws Exception {
        try (BlockReader reader = BlockReader.open(BlockFixtures.copy(1, dir, codec), new BlockCache(1 << 20, 1 << 20))) {
            BlockHeader header = reader.header();
            assertThat(header.formatVersion()).isEqualTo(1);
            assertThat(header.codec()).isEqualTo(codec);
            assertThat(header.entryCount()).isEqualTo(40);
            assertThat(header.pageCount()).isEqualTo(3);
            assertThat(header.minTimestamp()).isEqualTo(Instant.parse("1969-12-31T23:59:59.5Z"));
            assertThat(header.maxTimestamp()).isEqualTo(Instant.parse("2500-01-01T00:00:00.000000001Z"));
            assertThat(header.tokenizer().minWordLength()).isEqualTo(3);
            assertThat(header.tokenizer().maxWordLength()).isEqualTo(50);
            List<LogEntry> read = new ArrayList<>();
            for (int page = 0; page < reader.pageCount(); page++) {
                read.addAll(reader.readPage(page));
            }
            assertThat(read).containsExactlyElementsOf(BlockFixtures.sortedEntries(1));
            reader.verifyChecksum();
        }
    }

    /** Every source-ordered version (2 on) with every codec. */
    static Stream<Arguments> sourceOrderedGoldenBlocks() {
        return IntStream.rangeClosed(BlockFormat.TIME_ORDERED_VERSION + 1, BlockFormat.CURRENT_VERSION).boxed()
                .flatMap(version -> Arrays.stream(Codec.values()).map(codec -> Arguments.of(version, codec)));
    }

    @ParameterizedTest
    @MethodSource("sourceOrderedGoldenBlocks")
    void readsTheGoldenBlocksOfVersion2OnOfEveryCodecInSourceOrder(int version, Codec codec) throws Exception {
        try (BlockReader reader = BlockReader.open(BlockFixtures.copy(version, dir, codec), new BlockCache(1 << 20, 1 << 20))) {
            assertThat(reader.header().formatVersion()).isEqualTo(version);
            assertThat(reader.header().minTimestamp()).isEqualTo(Instant.parse("1969-12-31T23:59:59.5Z"));
            assertThat(reader.header().maxTimestamp()).isEqualTo(Instant.parse("2500-01-01T00:00:00.000000001Z"));
            List<LogEntry> read = new ArrayList<>();
            for (int page = 0; page < reader.pageCount(); page++) {
                read.addAll(reader.readPage(page));
            }
            assertThat(read).containsExactlyElementsOf(BlockFixtures.sortedEntries(version));
            QueryFilter farFuture = new QueryFilter(List.of("2300-01-01T00:00:00Z", "2600-01-01T00:00:00Z"), null, Map.of(), null);
            List<LogEntry> future = new ArrayList<>();
            for (int page : reader.candidatePages(farFuture)) {
                future.addAll(reader.scan(farFuture, page));
            }
            assertThat(future).hasSize(1);
            reader.verifyChecksum();
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void prunesTheVersion1GoldenBlockWithItsIndexes(Codec codec) throws Exception {
        try (BlockReader reader = BlockReader.open(BlockFixtures.copy(1, dir, codec), new BlockCache(1 << 20, 1 << 20))) {
            QueryFilter farFuture = new QueryFilter(List.of("2300-01-01T00:00:00Z", "2600-01-01T00:00:00Z"), null, Map.of(), null);
            assertThat(reader.candidatePages(farFuture)).containsExactly(2);
            assertThat(reader.candidatePages(new QueryFilter(null, "nobody", Map.of(), null))).isEmpty();
            assertThat(reader.candidatePages(new QueryFilter(null, null, Map.of("env", "staging"), null))).isEmpty();
            assertThat(reader.candidatePages(new QueryFilter(null, null, Map.of(), " no-such-word "))).isEmpty();
            QueryFilter split = new QueryFilter(null, null, Map.of(), "ticks overflow,");
            assertThat(reader.candidatePages(split)).containsExactly(2);
            assertThat(reader.scan(split, 2)).extracting(LogEntry::id).containsExactly(BlockFixtures.sortedEntries(1).get(39).id());
        }
    }

    /** Every version before posting counts (1 to 4) with every codec. */
    static Stream<Arguments> goldenBlocksWithoutPostingCounts() {
        return IntStream.range(BlockFormat.MIN_SUPPORTED_VERSION, BlockFormat.POSTING_COUNTS_VERSION).boxed()
                .flatMap(version -> Arrays.stream(Codec.values()).map(codec -> Arguments.of(version, codec)));
    }

    @ParameterizedTest
    @MethodSource("goldenBlocksWithoutPostingCounts")
    void goldenBlocksBeforeVersion5AnswerThatTheyHaveNoPostingCounts(int version, Codec codec) throws Exception {
        try (BlockReader reader = BlockReader.open(BlockFixtures.copy(version, dir, codec), new BlockCache(1 << 20, 1 << 20))) {
            assertThat(reader.hasPostingCounts()).isFalse();
            assertThat(reader.sourceCounts("api")).isEmpty();
            assertThat(reader.sourceCounts()).isEmpty();
            assertThat(reader.tagValueCounts("env")).isEmpty();
            assertThat(reader.candidatePages(new QueryFilter(null, "api", Map.of("env", "prod"), null))).isNotEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void theVersion5GoldenBlocksCountTheEntriesOfEachPageBySourceAndTagValue(Codec codec) throws Exception {
        try (BlockReader reader = BlockReader.open(BlockFixtures.copy(5, dir, codec), new BlockCache(1 << 20, 1 << 20))) {
            assertThat(reader.hasPostingCounts()).isTrue();
            // 40 entries in pages of 16: api (14 entries) and batch/job (13) in page 0 and 1, web-01 (13) in 1 and 2
            assertThat(BlockPropertiesTest.asMaps(reader.sourceCounts().orElseThrow())).isEqualTo(Map.of(
                    "api", Map.of(0, 14), "batch/job", Map.of(0, 2, 1, 11), "web-01", Map.of(1, 5, 2, 8)));
            Map<Integer, Integer> prod = BlockPropertiesTest.asMap(reader.tagValueCounts("env").orElseThrow().get("prod"));
            long prodEntries = BlockFixtures.entries().stream().filter(e -> "prod".equals(e.tags().get("env"))).count();
            assertThat(prod.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo((int) prodEntries);
            assertThat(reader.tagValueCounts("no-such-key")).contains(Map.of());
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void theVersion5GoldenBlocksDifferFromVersion4OnlyInTheHeaderAndThePostings(Codec codec) throws Exception {
        List<String> v4 = BlockDump.of(BlockFixtures.bytes(4, codec));
        List<String> v5 = BlockDump.of(BlockFixtures.bytes(5, codec));
        assertThat(v5).hasSameSizeAs(v4);
        for (int i = 0; i < v4.size(); i++) {
            if (!v4.get(i).startsWith("header") && !v4.get(i).startsWith("postings")) {
                assertThat(v5.get(i)).isEqualTo(v4.get(i));
            }
        }
        String v4Postings = v4.stream().filter(line -> line.startsWith("postings")).findFirst().orElseThrow();
        String v5Postings = v5.stream().filter(line -> line.startsWith("postings")).findFirst().orElseThrow();
        assertThat(v5Postings.length()).isGreaterThan(v4Postings.length());
    }

    @Test
    void writerOutputWithoutCompressionMatchesTheGoldenBlockByteForByte() throws Exception {
        assertThat(BlockFormat.CURRENT_VERSION)
                .as("a new format version needs its own golden fixtures; keep the old ones")
                .isEqualTo(6);
        byte[] written = Files.readAllBytes(BlockFixtures.write(dir, Codec.NONE));
        assertThat(written).as("the v6 writer's output changed; v6 files on disk would no longer match")
                .isEqualTo(BlockFixtures.bytes(BlockFormat.CURRENT_VERSION, Codec.NONE));
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void writerOutputOfEveryCodecHasTheGoldenBlocksLogicalContent(Codec codec) throws Exception {
        byte[] written = Files.readAllBytes(BlockFixtures.write(dir, codec));
        assertThat(BlockDump.of(written))
                .as("the v6 writer's layout changed (compressed bytes may differ between library versions; content may not)")
                .containsExactlyElementsOf(BlockDump.of(BlockFixtures.bytes(BlockFormat.CURRENT_VERSION, codec)));
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void goldenBlocksStartWithMagicVersionAndCodecAndEndWithTheFooterMagic(Codec codec) throws Exception {
        byte[] golden = BlockFixtures.bytes(BlockFormat.CURRENT_VERSION, codec);
        assertThat(new String(golden, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("TBLK");
        assertThat(golden[4]).isZero();
        assertThat(golden[5]).isEqualTo((byte) BlockFormat.CURRENT_VERSION);
        assertThat(golden[BlockFormat.CODEC_OFFSET]).isEqualTo((byte) codec.id());
        assertThat(new String(golden, golden.length - 8, 4, StandardCharsets.US_ASCII)).isEqualTo("TBLF");
    }

    @Test
    void compressedGoldenBlocksAreSmallerThanTheUncompressedOne() throws Exception {
        int none = BlockFixtures.bytes(BlockFormat.CURRENT_VERSION, Codec.NONE).length;
        for (Codec codec : List.of(Codec.LZ4, Codec.ZSTD, Codec.SNAPPY, Codec.GZIP)) {
            assertThat(BlockFixtures.bytes(BlockFormat.CURRENT_VERSION, codec).length).as(codec.specName()).isLessThan(none);
        }
    }
}
