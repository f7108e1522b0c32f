package io.timberdb.storage.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.block.BlockArbitraries;
import io.timberdb.storage.block.BlockOptions;
import io.timberdb.storage.block.BlockWriter;
import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.codec.CompressionSettings;
import io.timberdb.storage.index.Tokenizer;
import io.timberdb.storage.wal.EncodedEntries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A block sealed from an active block's WAL batches ({@link SealInput}: sorted by keys, decoded a
 * page at a time) is byte for byte the block {@link BlockWriter} writes from the same entries as a list.
 */
class SealInputPropertiesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("seal-input");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Property(tries = 300)
    void aBlockSealedFromBatchesEqualsTheBlockWrittenFromTheList(@ForAll("entryLists") List<LogEntry> entries,
            @ForAll @IntRange(min = 1, max = 25) int batchSize, @ForAll @IntRange(min = 0, max = 3) int alreadySealed,
            @ForAll @IntRange(min = 1, max = 30) int pageEntries, @ForAll @IntRange(min = 1, max = 3_000) int pageMessageBytes)
            throws IOException {
        BlockWriter writer = new BlockWriter(new BlockOptions(new CompressionSettings(Codec.LZ4, 1, 32), pageEntries,
                pageMessageBytes, 0.01, new Tokenizer(2, 30)));
        Path fromList = dir.resolve("list-" + System.nanoTime() + ".tblk");
        Path fromBatches = dir.resolve("batches-" + System.nanoTime() + ".tblk");

        writer.write(fromList, entries);
        writer.write(fromBatches, new SealInput(ranges(entries, batchSize, alreadySealed)));

        assertThat(Files.readAllBytes(fromBatches)).isEqualTo(Files.readAllBytes(fromList));
    }

    /**
     * {@code entries} cut into WAL batches of {@code batchSize}; the first batch also holds
     * {@code alreadySealed} entries before them, which its range leaves out (an active block that
     * starts inside a batch).
     */
    private static List<SealInput.Range> ranges(List<LogEntry> entries, int batchSize, int alreadySealed) {
        List<SealInput.Range> ranges = new ArrayList<>();
        List<LogEntry> sealed = new ArrayList<>();
        for (int i = 0; i < alreadySealed; i++) {
            sealed.add(new LogEntry("sealed-" + i, T0, "zzz", Map.of("sealed", "yes"), "already sealed " + i));
        }
        for (int from = 0; from < entries.size(); from += batchSize) {
            List<LogEntry> batch = new ArrayList<>(from == 0 ? sealed : List.of());
            int skip = batch.size();
            batch.addAll(entries.subList(from, Math.min(entries.size(), from + batchSize)));
            ranges.add(new SealInput.Range(EncodedEntries.encode(batch), skip, batch.size()));
        }
        return ranges;
    }

    @Provide
    Arbitrary<List<LogEntry>> entryLists() {
        // arbitrary entries (odd strings, surrogates, unsorted tags, extreme times), and entries of a
        // few sources with equal timestamps, which only their ids order
        Arbitrary<LogEntry> ties = Combinators.combine(Arbitraries.strings().alpha().ofLength(4),
                Arbitraries.integers().between(0, 2).map(T0::plusNanos), Arbitraries.of("a", "b", "web-01"),
                Arbitraries.of("x y", "é 😀 z", "")).as((id, at, source, message) ->
                        new LogEntry(id, at, source, Map.of("level", "info", "env", "prod"), message));
        return Arbitraries.oneOf(BlockArbitraries.anyEntry(), BlockArbitraries.vocabularyEntry(), ties)
                .list().ofMinSize(1).ofMaxSize(80);
    }
}
