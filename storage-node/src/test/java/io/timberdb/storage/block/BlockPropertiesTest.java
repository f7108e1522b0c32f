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
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Combinators;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/** Blocks hold exactly what was written, pruning never loses a match, and posting counts are exact. */
class BlockPropertiesTest {

    private static final AtomicInteger FILES = new AtomicInteger();
    private static Path dir;

    /**
     * Tag maps that entries share, as entries decoded from the WAL do: the writer counts each
     * instance once per page. Two of them are equal and others overlap, so a pair's count in a
     * page adds up over several maps.
     */
    private static final List<Map<String, String>> SHARED_TAGS = List.of(Map.of(), Map.of("level", "info"),
            new TreeMap<>(Map.of("level", "info")), Map.of("level", "error", "env", "prod"),
            Map.of("level", "info", "env", "prod", "region", "eu"), Map.of("env", "dev"));

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

    @Property(tries = 120)
    void postingCountsAreTheEntriesOfEachPageWithEachSourceAndTagValue(@ForAll("manySourcesAndTags") List<LogEntry> entries,
            @ForAll @IntRange(min = 1, max = 64) int pageEntries, @ForAll boolean lz4) throws IOException {
        Path file = newFile();
        Codec codec = lz4 ? Codec.LZ4 : Codec.NONE;
        // pages close at pageEntries entries or 600 message chars, so their sizes vary
        new BlockWriter(new BlockOptions(new CompressionSettings(codec, 0, 32), pageEntries, 600, 0.01, Tokenizer.DEFAULT))
                .write(file, entries);
        try (BlockReader reader = BlockReader.open(file, new BlockCache(0, 0))) {
            assertThat(reader.hasPostingCounts()).isTrue();
            Map<String, Map<Integer, Integer>> bySource = new TreeMap<>();
            Map<String, Map<String, Map<Integer, Integer>>> byTag = new TreeMap<>();
            for (int page = 0; page < reader.pageCount(); page++) {
                for (LogEntry entry : reader.readPage(page)) {
                    bySource.computeIfAbsent(entry.source(), s -> new TreeMap<>()).merge(page, 1, Integer::sum);
                    for (Map.Entry<String, String> tag : entry.tags().entrySet()) {
                        byTag.computeIfAbsent(tag.getKey(), k -> new TreeMap<>())
                                .computeIfAbsent(tag.getValue(), v -> new TreeMap<>()).merge(page, 1, Integer::sum);
                    }
                }
            }
            assertThat(asMaps(reader.sourceCounts().orElseThrow())).isEqualTo(bySource);
            for (String source : bySource.keySet()) {
                assertThat(asMap(reader.sourceCounts(source).orElseThrow())).isEqualTo(bySource.get(source));
            }
            assertThat(reader.sourceCounts("no-such-source")).contains(PageCounts.EMPTY);
            for (String key : List.of("level", "env", "region", "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "none")) {
                assertThat(asMaps(reader.tagValueCounts(key).orElseThrow())).as("tag %s", key)
                        .isEqualTo(byTag.getOrDefault(key, Map.of()));
            }
        } finally {
            Files.delete(file);
        }
    }

    /** Page → count, as a map. */
    static Map<Integer, Integer> asMap(PageCounts counts) {
        Map<Integer, Integer> map = new TreeMap<>();
        for (int i = 0; i < counts.size(); i++) {
            assertThat(counts.countIn(counts.page(i))).isEqualTo(counts.count(i));
            map.put(counts.page(i), counts.count(i));
        }
        assertThat(counts.total()).isEqualTo(map.values().stream().mapToLong(Integer::longValue).sum());
        return map;
    }

    static Map<String, Map<Integer, Integer>> asMaps(Map<String, PageCounts> counts) {
        Map<String, Map<Integer, Integer>> maps = new TreeMap<>();
        counts.forEach((name, pages) -> maps.put(name, asMap(pages)));
        return maps;
    }

    /** Up to 600 entries of up to 40 sources (a few of them frequent), with fresh or shared tag maps. */
    @Provide
    Arbitrary<List<LogEntry>> manySourcesAndTags() {
        Arbitrary<String> source = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("web-01", "api")),
                Tuple.of(1, Arbitraries.integers().between(0, 39).map(i -> "source-" + i)));
        Arbitrary<Map<String, String>> fresh = Arbitraries.maps(Arbitraries.integers().between(0, 7).map(i -> "k" + i),
                Arbitraries.integers().between(0, 11).map(i -> "v" + i)).ofMaxSize(6);
        Arbitrary<Map<String, String>> tags = Arbitraries.frequencyOf(Tuple.of(2, fresh), Tuple.of(3, Arbitraries.of(SHARED_TAGS)));
        Arbitrary<LogEntry> entry = Combinators.combine(Arbitraries.longs().tuple2(), Arbitraries.longs().between(0, 60_000),
                source, tags, Arbitraries.strings().alpha().ofMaxLength(120)).as((id, millis, s, t, message) ->
                new LogEntry(new UUID(id.get1(), id.get2()).toString(), BlockArbitraries.BASE.plusMillis(millis), s, t, message));
        return entry.list().ofMinSize(1).ofMaxSize(600);
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
