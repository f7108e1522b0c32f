package io.timberdb.storage.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.codec.CompressionSettings;
import io.timberdb.storage.index.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sources and tags columns of the current format ({@link PageFormat}; sources as in version 3,
 * tags by message template since version 4): their bytes at the edges
 * of the layout, and damage inside them that their CRC cannot see reported as corruption. Blocks
 * here are one uncompressed page, so a column's stored bytes are its content.
 */
class PageColumnsTest {

    private static final int SOURCES = 2;
    private static final int TAGS = 3;
    private static final Instant BASE = Instant.parse("2024-07-01T12:00:00Z");
    private static final BlockOptions ONE_RAW_PAGE = new BlockOptions(CompressionSettings.of(Codec.NONE), 4096,
            BlockOptions.DEFAULT_PAGE_MESSAGE_BYTES, BlockOptions.DEFAULT_BLOOM_FALSE_POSITIVE_RATE, Tokenizer.DEFAULT);
    private static final Map<String, String> PROD = Map.of("env", "prod");
    private static final Map<String, String> DEV = Map.of("env", "dev");

    @TempDir
    Path dir;

    private int files;

    /** Entry {@code i}: one millisecond after entry {@code i - 1}, so entries of one source keep their order. */
    private static LogEntry entry(int i, String source, Map<String, String> tags) {
        return new LogEntry(new UUID(i, 1).toString(), BASE.plusMillis(i), source, tags, "message " + i);
    }

    private static List<LogEntry> withTags(List<Map<String, String>> tags) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < tags.size(); i++) {
            entries.add(entry(i, "web-01", tags.get(i)));
        }
        return entries;
    }

    /** Writes {@code entries} as a block, checks that it reads them back, and returns its bytes. */
    private byte[] roundTrip(List<LogEntry> entries) throws IOException {
        Path file = dir.resolve("block-" + files++ + ".tblk");
        new BlockWriter(ONE_RAW_PAGE).write(file, entries);
        try (BlockReader reader = BlockReader.open(file, new BlockCache(0, 0))) {
            assertThat(reader.header().formatVersion()).isEqualTo(BlockFormat.CURRENT_VERSION);
            assertThat(reader.pageCount()).isOne();
            assertThat(reader.readPage(0)).containsExactlyElementsOf(BlockArbitraries.storedAndSorted(entries));
        }
        return Files.readAllBytes(file);
    }

    /** Where column {@code column}'s chunk of the block's only page starts. */
    private static int chunkOffset(byte[] block, int column) {
        int offset = BlockFormat.HEADER_SIZE;
        for (int c = 0; c < column; c++) {
            offset += PageFormat.CHUNK_HEADER_SIZE + storedLength(block, offset);
        }
        return offset;
    }

    private static int storedLength(byte[] block, int chunk) {
        return new ByteSource(block, chunk + PageFormat.STORED_LENGTH_OFFSET, PageFormat.STORED_LENGTH_LENGTH).getInt();
    }

    private static byte[] content(byte[] block, int column) {
        int chunk = chunkOffset(block, column);
        int data = chunk + PageFormat.CHUNK_HEADER_SIZE;
        return Arrays.copyOfRange(block, data, data + storedLength(block, chunk));
    }

    /** The block with {@code column}'s content replaced by as many other bytes, under a recomputed chunk CRC. */
    private static byte[] withContent(byte[] block, int column, byte[] content) {
        int chunk = chunkOffset(block, column);
        assertThat(content).hasSize(storedLength(block, chunk));
        byte[] damaged = block.clone();
        System.arraycopy(content, 0, damaged, chunk + PageFormat.CHUNK_HEADER_SIZE, content.length);
        int crc = BlockFormat.crc(damaged, chunk + PageFormat.CHUNK_CRC_LENGTH,
                PageFormat.CHUNK_HEADER_SIZE - PageFormat.CHUNK_CRC_LENGTH + content.length);
        for (int b = 0; b < PageFormat.CHUNK_CRC_LENGTH; b++) {
            damaged[chunk + b] = (byte) (crc >>> (24 - 8 * b));
        }
        return damaged;
    }

    /** Reads the damaged block's page and returns the failure, which must be corruption of {@code column}. */
    private CorruptBlockException readDamaged(byte[] damaged, int column) throws IOException {
        Path file = dir.resolve("damaged-" + files++ + ".tblk");
        Files.write(file, damaged);
        try (BlockReader reader = BlockReader.open(file, new BlockCache(0, 0))) {
            Throwable failure = catchThrowable(() -> reader.readPage(0));
            assertThat(failure).isInstanceOf(CorruptBlockException.class)
                    .hasMessageContaining("page 0: " + PageFormat.COLUMN_NAMES[column] + " column does not decode");
            assertThat(((CorruptBlockException) failure).offset()).isEqualTo(chunkOffset(damaged, column));
            return (CorruptBlockException) failure;
        }
    }

    /** The {@code w}-bit index {@code i} of MSB-first packed {@code bytes}, bit by bit. */
    private static int index(byte[] bytes, int i, int w) {
        int value = 0;
        for (long bit = (long) i * w; bit < (long) (i + 1) * w; bit++) {
            value = value << 1 | (bytes[(int) (bit / 8)] >>> (7 - bit % 8)) & 1;
        }
        return value;
    }

    @Test
    void aPageOfOneSourceIsOneRun() throws IOException {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            entries.add(entry(i, "web-01", Map.of()));
        }
        // one run of source 0, 300 entries long (varint 0xAC 0x02)
        assertThat(content(roundTrip(entries), SOURCES)).containsExactly(1, 0, 0xAC, 0x02);
    }

    @Test
    void aPageOfManySourcesHasOneRunPerSourceInSourceOrder() throws IOException {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            entries.add(entry(i, String.format("host-%03d", 149 - i), Map.of())); // written in reverse source order
        }
        entries.add(entry(150, "api", Map.of()));
        entries.add(entry(151, "api", Map.of()));
        ByteSource column = new ByteSource(content(roundTrip(entries), SOURCES));
        assertThat(column.varint()).isEqualTo(151);
        assertThat(new int[] {column.varint(), column.varint()}).as("api first, twice").containsExactly(0, 2);
        for (int source = 1; source <= 150; source++) {
            assertThat(new int[] {column.varint(), column.varint()}).containsExactly(source, 1);
        }
        assertThat(column.hasRemaining()).isFalse();
    }

    @Test
    void entriesOfOneTagSetNeedNoIndexBytes() throws IOException {
        List<Map<String, String>> tags = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            tags.add(Map.of("env", "prod", "region", "eu"));
        }
        // k = 1; the set: 2 pairs, (env = key 0, prod = value 1), (region = key 1, eu = value 0); w = 0; no exceptions
        assertThat(content(roundTrip(withTags(tags)), TAGS)).containsExactly(1, 2, 0, 1, 1, 0, 0, 0);
    }

    @Test
    void entriesWithoutTagsShareTheEmptySet() throws IOException {
        assertThat(content(roundTrip(withTags(List.of(Map.of(), Map.of(), Map.of()))), TAGS)).containsExactly(1, 0, 0, 0);
        // k = 2: {} then {env=prod}; w = 1; the template's usual set 0; entry 1 an exception with set 1
        assertThat(content(roundTrip(withTags(List.of(Map.of(), PROD, Map.of()))), TAGS))
                .containsExactly(2, 0, 1, 0, 0, 1, 1, 1, 1, 0x00);
    }

    @Test
    void threeTagSetsOfOneTemplateAreItsUsualSetAndExceptions() throws IOException {
        // the sets in order of first appearance: {env=dev} 0, {env=prod} 1, {} 2; sets 0 1 2 1 0; usual 0 (2 bits)
        byte[] column = content(roundTrip(withTags(List.of(DEV, PROD, Map.of(), PROD, DEV))), TAGS);
        assertThat(column).containsExactly(3, 1, 0, 0, 1, 0, 1, 0, 2, 3, 1, 1, 0, 2, 0, 1, 0x00);
    }

    @Test
    void eachTemplateHasItsUsualTagSet() throws IOException {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Map<String, String> tags = i % 2 == 0 ? DEV : PROD;
            entries.add(new LogEntry(new UUID(i, 1).toString(), BASE.plusMillis(i), "web-01", tags, i % 2 == 0 ? "GET " + i : "PUT " + i));
        }
        // sets {env=dev} 0, {env=prod} 1; w = 1; no exceptions; templates "GET #" and "PUT #" usually 0 and 1: bits 01
        assertThat(content(roundTrip(entries), TAGS)).containsExactly(2, 1, 0, 0, 1, 0, 1, 1, 0, 0x40);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 255, 256, 257, 1000})
    void indexesTakeTheFewestBitsThatNumberEverySet(int sets) throws IOException {
        List<Map<String, String>> tags = new ArrayList<>();
        int n = 2 * sets + 1;
        for (int i = 0; i < n; i++) {
            tags.add(Map.of("n", Integer.toString(i % sets)));
        }
        ByteSource column = new ByteSource(content(roundTrip(withTags(tags)), TAGS));
        assertThat(column.varint()).isEqualTo(sets);
        for (int s = 0; s < sets; s++) {
            assertThat(column.varint()).as("set %d's tag count", s).isOne();
            column.varint();
            column.varint();
        }
        int w = column.u8();
        assertThat(1L << w).isGreaterThanOrEqualTo(sets);
        assertThat(1L << (w - 1)).isLessThan(sets);
        int[] set = new int[n];
        Arrays.fill(set, -1);
        int exceptions = column.varint();
        for (int x = 0, entry = -1; x < exceptions; x++) {
            entry += 1 + column.varint();
            set[entry] = column.varint();
        }
        byte[] usual = column.bytes(column.remaining());
        assertThat(usual).as("one template: one w-bit usual set").hasSize((w + 7) / 8);
        for (int i = 0; i < n; i++) {
            assertThat(set[i] >= 0 ? set[i] : index(usual, 0, w)).as("entry %d's set", i).isEqualTo(i % sets);
        }
    }

    @Test
    void sourceRunsThatDoNotCoverThePageExactlyAreCorrupt() throws IOException {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            entries.add(entry(i, "web-01", Map.of()));
        }
        byte[] block = roundTrip(entries);
        assertThat(content(block, SOURCES)).containsExactly(1, 0, 10);
        assertThat(readDamaged(withContent(block, SOURCES, new byte[] {1, 0, 9}), SOURCES))
                .hasMessageContaining("source runs cover 9 of the page's 10 entries");
        assertThat(readDamaged(withContent(block, SOURCES, new byte[] {1, 0, 11}), SOURCES))
                .hasMessageContaining("source run length 11 is out of range 0..10");
        assertThat(readDamaged(withContent(block, SOURCES, new byte[] {1, 0, 0}), SOURCES))
                .hasMessageContaining("source run 0 is empty");
        assertThat(readDamaged(withContent(block, SOURCES, new byte[] {0, 0, 10}), SOURCES))
                .hasMessageContaining("source runs cover 0 of the page's 10 entries");
        assertThat(readDamaged(withContent(block, SOURCES, new byte[] {1, 1, 10}), SOURCES))
                .hasMessageContaining("source id 1 is out of range 0..0");
    }

    @Test
    void tagSetIndexesOutOfRangeOrOfTheWrongWidthOrLengthAreCorrupt() throws IOException {
        byte[] block = roundTrip(withTags(List.of(DEV, PROD, Map.of(), PROD, DEV)));
        byte[] table = {3, 1, 0, 0, 1, 0, 1, 0};
        assertThat(content(block, TAGS)).startsWith(table);
        assertThat(readDamaged(withContent(block, TAGS, tagColumn(table, 2, 3, 1, 1, 0, 2, 0, 1, 0xC0)), TAGS))
                .as("usual set 3").hasMessageContaining("template 0's tag set index 3 is out of range 0..2");
        assertThat(readDamaged(withContent(block, TAGS, tagColumn(table, 2, 3, 1, 1, 0, 2, 0, 1, 0x01)), TAGS))
                .hasMessageContaining("padding bits are not 0");
        assertThat(readDamaged(withContent(block, TAGS, tagColumn(table, 1, 3, 1, 1, 0, 2, 0, 1, 0x00)), TAGS))
                .hasMessageContaining("tag set indexes of 1 bits for 3 sets");
        assertThat(readDamaged(withContent(block, TAGS, tagColumn(table, 2, 3, 1, 3, 0, 2, 0, 1, 0x00)), TAGS))
                .hasMessageContaining("tag set index 3 is out of range 0..2");
        assertThat(readDamaged(withContent(block, TAGS, tagColumn(table, 2, 3, 1, 1, 0, 2, 5, 1, 0x00)), TAGS))
                .as("past the last entry").hasMessageContaining("tag set exception gap 5 is out of range 0..1");
        assertThat(readDamaged(withContent(block, TAGS, tagColumn(table, 2, 6, 1, 1, 0, 2, 0, 1, 0x00)), TAGS))
                .hasMessageContaining("tag set exception count 6 is out of range 0..5");
        assertThat(readDamaged(withContent(block, TAGS, tagColumn(table, 2, 2, 1, 1, 0, 2, 0, 0, 0x00)), TAGS))
                .as("a byte left over").hasMessageContaining("left over");

        byte[] untagged = roundTrip(withTags(List.of(Map.of(), Map.of(), Map.of())));
        assertThat(readDamaged(withContent(untagged, TAGS, new byte[] {0, 0, 0, 0}), TAGS))
                .hasMessageContaining("no tag sets for 3 entries");
    }

    private static byte[] tagColumn(byte[] table, int... rest) {
        byte[] column = Arrays.copyOf(table, table.length + rest.length);
        for (int i = 0; i < rest.length; i++) {
            column[table.length + i] = (byte) rest[i];
        }
        return column;
    }
}
