package io.timberdb.storage.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.codec.CompressionSettings;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockReadWriteTest {

    @TempDir
    Path dir;

    private static List<LogEntry> entries(int count, int messageLength) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            entries.add(new LogEntry(String.format("0190c3a2-%04x-7000-8000-000000000001", i),
                    Instant.ofEpochMilli(1_720_000_000_000L + i), "src-" + (i % 3), Map.of("n", Integer.toString(i % 5)),
                    ("m" + i + " ").repeat(messageLength).substring(0, messageLength)));
        }
        return entries;
    }

    @Test
    void writesASortedBlockAndDescribesIt() throws Exception {
        Path file = dir.resolve("b.tblk");
        BlockMeta meta = new BlockWriter(BlockOptions.DEFAULTS.withPageEntries(100)).write(file, entries(250, 40));
        assertThat(meta.path()).isEqualTo(file);
        assertThat(meta.entryCount()).isEqualTo(250);
        assertThat(meta.pageCount()).isEqualTo(3);
        assertThat(meta.minTimestamp()).isEqualTo(Instant.ofEpochMilli(1_720_000_000_000L));
        assertThat(meta.maxTimestamp()).isEqualTo(Instant.ofEpochMilli(1_720_000_000_249L));
        assertThat(meta.sizeBytes()).isEqualTo(Files.size(file));
        assertThat(meta.codec()).isEqualTo(Codec.LZ4);
        assertThat(meta.formatVersion()).isEqualTo(BlockFormat.CURRENT_VERSION);
        try (BlockReader reader = BlockReader.open(file, BlockCache.withDefaults())) {
            assertThat(reader.meta()).isEqualTo(meta);
            List<LogEntry> firstPage = entries(250, 40).stream().sorted(SealedEntries.BLOCK_ORDER).limit(100).toList();
            assertThat(reader.page(0)).isEqualTo(new PageInfo(0, 100,
                    firstPage.stream().map(LogEntry::timestamp).min(Comparator.naturalOrder()).orElseThrow(),
                    firstPage.stream().map(LogEntry::timestamp).max(Comparator.naturalOrder()).orElseThrow()));
            List<LogEntry> all = new ArrayList<>();
            for (int page = 0; page < reader.pageCount(); page++) {
                all.addAll(reader.readPage(page));
            }
            assertThat(all).isSortedAccordingTo(SealedEntries.BLOCK_ORDER);
            assertThat(all).containsExactlyInAnyOrderElementsOf(entries(250, 40));
            assertThat(all.get(0).tags()).isEqualTo(Map.of("n", "0"));
        }
    }

    @Test
    void pagesAlsoCloseWhenTheirMessagesReachTheCharLimit() throws Exception {
        BlockOptions options = new BlockOptions(CompressionSettings.DEFAULTS, 1024, 1000, 0.01, BlockOptions.DEFAULTS.tokenizer());
        BlockMeta meta = new BlockWriter(options).write(dir.resolve("b.tblk"), entries(30, 300));
        assertThat(meta.pageCount()).isEqualTo(8); // 4 messages of 300 chars reach 1000: 30 entries in 8 pages
    }

    @Test
    void neverOverwritesABlockAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("b.tblk");
        BlockWriter writer = new BlockWriter(BlockOptions.DEFAULTS);
        writer.write(file, entries(3, 10));
        assertThatThrownBy(() -> writer.write(file, entries(3, 10))).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> writer.write(dir.resolve("empty.tblk"), List.of())).isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(BlockWriter.isTemporary(dir.resolve("b.tblk" + BlockWriter.TEMP_SUFFIX))).isTrue();
        assertThat(BlockWriter.isTemporary(file)).isFalse();
    }

    @Test
    void unpairedSurrogatesAreStoredAsUtf8WouldAndIndexedThatWay() throws Exception {
        Path file = dir.resolve("b.tblk");
        LogEntry entry = new LogEntry("id-1", Instant.EPOCH, "a\uD800b", Map.of("k\uDC00", "v"), "see abc\uD800def ok");
        new BlockWriter(BlockOptions.DEFAULTS).write(file, List.of(entry));
        try (BlockReader reader = BlockReader.open(file, BlockCache.withDefaults())) {
            assertThat(reader.readPage(0)).containsExactly(
                    new LogEntry("id-1", Instant.EPOCH, "a?b", Map.of("k?", "v"), "see abc?def ok"));
            // the filter holds the tokens of the stored text: "see", "abc", "def"
            QueryFilter found = new QueryFilter(null, "a?b", Map.of("k?", "v"), "see abc?def ");
            assertThat(reader.candidatePages(found)).containsExactly(0);
            assertThat(reader.scan(found, 0)).hasSize(1);
            assertThat(reader.candidatePages(new QueryFilter(null, null, Map.of(), " abc?xyz "))).isEmpty();
            assertThat(reader.candidatePages(new QueryFilter(null, "a\uD800b", Map.of(), null))).isEmpty();
        }
    }

    @Test
    void theCacheServesRepeatedReadsAndForgetsAnInvalidatedBlock() throws Exception {
        Path file = dir.resolve("b.tblk");
        new BlockWriter(BlockOptions.DEFAULTS).write(file, entries(10, 20));
        BlockCache cache = new BlockCache(1 << 20, 1 << 20);
        try (BlockReader reader = BlockReader.open(file, cache)) {
            PageColumns first = reader.columns(0);
            List<LogEntry> entries = first.entries();
            assertThat(reader.columns(0)).isSameAs(first);
            assertThat(cache.pageStats().hitCount()).isEqualTo(1);
            cache.invalidate(file);
            assertThat(reader.columns(0)).isNotSameAs(first);
            assertThat(reader.readPage(0)).isEqualTo(entries);
            assertThat(cache.pageStats().missCount()).isEqualTo(2);
        }
    }

    @Test
    void aBlockRewrittenUnderTheSamePathIsNotServedFromTheCache() throws Exception {
        Path file = dir.resolve("b.tblk");
        BlockCache cache = new BlockCache(1 << 20, 1 << 20);
        new BlockWriter(BlockOptions.DEFAULTS).write(file, entries(10, 20));
        try (BlockReader reader = BlockReader.open(file, cache)) {
            reader.readPage(0);
        }
        Files.delete(file);
        new BlockWriter(BlockOptions.DEFAULTS).write(file, entries(12, 20));
        try (BlockReader reader = BlockReader.open(file, cache)) {
            assertThat(reader.readPage(0)).hasSize(12);
        }
    }

    @Test
    void manyThreadsReadOneBlockConcurrently() throws Exception {
        Path file = dir.resolve("b.tblk");
        List<LogEntry> entries = entries(2000, 50);
        new BlockWriter(BlockOptions.DEFAULTS.withPageEntries(100)).write(file, entries);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (BlockReader reader = BlockReader.open(file, new BlockCache(0, 0))) {
            QueryFilter src1 = new QueryFilter(null, "src-1", Map.of(), " m7 ");
            int perRound = 0;
            for (int page : reader.candidatePages(src1)) {
                perRound += reader.scan(QueryFilter.ALL, page).size();
            }
            assertThat(perRound).as("src-1's pages").isPositive().isLessThan(2000);
            int expected = 5 * perRound;
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    int count = 0;
                    for (int round = 0; round < 5; round++) {
                        for (int page : reader.candidatePages(new QueryFilter(null, "src-1", Map.of(), " m7 "))) {
                            count += reader.scan(QueryFilter.ALL, page).size();
                        }
                    }
                    return count;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReaderSurvivesAnInterruptThatClosedItsChannel() throws Exception {
        Path file = dir.resolve("b.tblk");
        new BlockWriter(BlockOptions.DEFAULTS).write(file, entries(10, 20));
        try (BlockReader reader = BlockReader.open(file, new BlockCache(0, 0))) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> reader.readPage(0)).isInstanceOf(ClosedByInterruptException.class);
            assertThat(Thread.interrupted()).isTrue();
            assertThat(reader.readPage(0)).hasSize(10); // reopened for everyone else
        }
    }

    @Test
    void aClosedReaderStaysClosed() throws Exception {
        Path file = dir.resolve("b.tblk");
        new BlockWriter(BlockOptions.DEFAULTS).write(file, entries(10, 20));
        BlockReader reader = BlockReader.open(file, new BlockCache(0, 0));
        reader.close();
        assertThatThrownBy(() -> reader.readPage(0)).isInstanceOf(java.nio.channels.ClosedChannelException.class);
    }
}
