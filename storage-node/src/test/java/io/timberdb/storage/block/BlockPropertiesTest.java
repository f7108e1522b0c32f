package io.timberdb.storage.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.codec.CompressionSettings;
import io.timberdb.storage.index.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/** Blocks hold exactly what was written, and pruning never loses a match. */
class BlockPropertiesTest {

    private static final AtomicInteger FILES = new AtomicInteger();
    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("block-properties");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static Path newFile() {
        return dir.resolve("block-" + FILES.incrementAndGet() + ".tblk");
    }

    private static BlockOptions options(Codec codec, int pageEntries, int minWordLength) {
        return new BlockOptions(new CompressionSettings(codec, codec == Codec.NONE ? 0 : 1, 32), pageEntries,
                2_000, 0.01, new Tokenizer(minWordLength, minWordLength + 20));
    }

    @Property(tries = 150)
    void writeThenReadRoundTripsArbitraryEntryLists(@ForAll("entryLists") List<LogEntry> entries, @ForAll Codec codec,
            @ForAll @IntRange(min = 1, max = 40) int pageEntries) throws IOException {
        Path file = newFile();
        BlockMeta meta = new BlockWriter(options(codec, pageEntries, 3)).write(file, entries);
        List<LogEntry> expected = BlockArbitraries.storedAndSorted(entries);
        try (BlockReader reader = BlockReader.open(file, new BlockCache(1 << 20, 1 << 20))) {
            List<LogEntry> read = new ArrayList<>();
            for (int page = 0; page < reader.pageCount(); page++) {
                read.addAll(reader.readPage(page));
            }
            assertThat(read).containsExactlyElementsOf(expected);
            assertThat(reader.meta()).isEqualTo(new BlockMeta(file.toAbsolutePath().normalize(), meta.minTimestamp(),
                    meta.maxTimestamp(), entries.size(), meta.pageCount(), Files.size(file), codec, BlockFormat.CURRENT_VERSION));
            assertThat(meta.minTimestamp()).isEqualTo(expected.stream().map(LogEntry::timestamp).min(Comparator.naturalOrder()).orElseThrow());
            assertThat(meta.maxTimestamp()).isEqualTo(expected.stream().map(LogEntry::timestamp).max(Comparator.naturalOrder()).orElseThrow());
            assertThat(reader.candidatePages(QueryFilter.ALL)).containsExactlyElementsOf(
                    IntStream.range(0, reader.pageCount()).boxed().toList());
            reader.verifyChecksum();
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 200)
    void pruningNeverDropsAMatchingEntry(@ForAll("scenarios") Scenario scenario) throws IOException {
        Path file = newFile();
        new BlockWriter(options(scenario.codec(), scenario.pageEntries(), scenario.minWordLength()))
                .write(file, scenario.entries());
        Predicate<LogEntry> predicate = scenario.filter().toPredicate();
        List<LogEntry> expected = BlockArbitraries.storedAndSorted(scenario.entries()).stream().filter(predicate).toList();
        try (BlockReader reader = BlockReader.open(file, new BlockCache(1 << 20, 1 << 20))) {
            List<Integer> candidates = reader.candidatePages(scenario.filter());
            List<LogEntry> found = new ArrayList<>();
            for (int page : candidates) {
                found.addAll(reader.scan(scenario.filter(), page));
            }
            assertThat(found).as("filter %s", scenario.filter()).containsExactlyElementsOf(expected);
            Statistics.label("pages pruned").collect(candidates.size() < reader.pageCount());
        } finally {
            Files.delete(file);
        }
    }

    record Scenario(List<LogEntry> entries, QueryFilter filter, Codec codec, int pageEntries, int minWordLength) {
    }

    @Provide
    Arbitrary<List<LogEntry>> entryLists() {
        return BlockArbitraries.anyEntry().list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return BlockArbitraries.vocabularyEntry().list().ofMinSize(1).ofMaxSize(120).flatMap(entries ->
                Combinators.combine(BlockArbitraries.filters(entries), Arbitraries.of(Codec.class),
                        Arbitraries.integers().between(1, 20), Arbitraries.integers().between(1, 4))
                        .as((filter, codec, pageEntries, minWord) -> new Scenario(entries, filter, codec, pageEntries, minWord)));
    }
}
