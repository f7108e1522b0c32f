package io.timberdb.storage.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.index.Tokenizer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The derived offsets agree with the byte-layout tables in the javadoc. */
class BlockFormatTest {

    @Test
    void headerFooterChunkAndDirectoryEntrySizesMatchTheDocumentedLayout() {
        assertThat(BlockFormat.HEADER_SIZE).isEqualTo(48);
        assertThat(BlockFormat.ENTRY_COUNT_OFFSET).isEqualTo(12);
        assertThat(BlockFormat.MIN_TIMESTAMP_OFFSET).isEqualTo(20);
        assertThat(BlockFormat.HEADER_CRC_OFFSET).isEqualTo(44);
        assertThat(BlockFormat.FOOTER_SIZE).isEqualTo(88);
        assertThat(BlockFormat.DICTIONARIES_OFFSET_OFFSET).isEqualTo(32);
        assertThat(BlockFormat.BLOOMS_OFFSET_OFFSET).isEqualTo(64);
        assertThat(BlockFormat.FILE_CRC_OFFSET).isEqualTo(76);
        assertThat(BlockFormat.FOOTER_MAGIC_OFFSET).isEqualTo(80);
        assertThat(PageFormat.CHUNK_HEADER_SIZE).isEqualTo(13);
        assertThat(PageFormat.DIRECTORY_ENTRY_SIZE).isEqualTo(52);
        assertThat(PageFormat.ENTRY_BLOOM_CRC_OFFSET).isEqualTo(48);
    }

    @Test
    void headerRoundTrips() {
        BlockHeader header = new BlockHeader(BlockFormat.CURRENT_VERSION, Codec.ZSTD, new Tokenizer(2, 40), 1000, 3,
                Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("2024-07-01T00:00:00.000000001Z"));
        byte[] bytes = BlockFormat.encodeHeader(header);
        assertThat(bytes).hasSize(BlockFormat.HEADER_SIZE);
        assertThat(BlockFormat.decodeHeader(Path.of("x"), bytes)).isEqualTo(header);
    }

    @Test
    void parsesCanonicalUuidStringsOnly() {
        long[] highs = new long[1];
        long[] lows = new long[1];
        assertThat(PageEncoder.parseCanonicalUuid("0190c3a2-0000-7000-8000-000000000001", highs, lows, 0)).isTrue();
        assertThat(highs[0]).isEqualTo(0x0190c3a2_0000_7000L);
        assertThat(lows[0]).isEqualTo(0x8000_000000000001L);
        for (String notCanonical : new String[] {"0190C3A2-0000-7000-8000-000000000001", "1-1-1-1-1",
                "0190c3a2x0000-7000-8000-000000000001", "0190c3a2-0000-7000-8000-00000000000g",
                "0190c3a2-0000-7000-8000-00000000000\u00e9", "0190c3a2-0000-7000-8000-0000000000-1", ""}) {
            assertThat(PageEncoder.parseCanonicalUuid(notCanonical, highs, lows, 0)).as(notCanonical).isFalse();
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            UUID id = new UUID(random.nextLong(), random.nextLong());
            assertThat(PageEncoder.parseCanonicalUuid(id.toString(), highs, lows, 0)).isTrue();
            assertThat(new UUID(highs[0], lows[0])).isEqualTo(id);
        }
    }
}
