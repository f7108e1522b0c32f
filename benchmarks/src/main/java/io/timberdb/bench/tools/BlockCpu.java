package io.timberdb.bench.tools;

import io.timberdb.bench.jmh.BenchData;
import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.block.BlockCache;
import io.timberdb.storage.block.BlockOptions;
import io.timberdb.storage.block.BlockReader;
import io.timberdb.storage.block.BlockWriter;
import io.timberdb.storage.codec.CompressionSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The CPU time of sealing a block of 50,000 generated loghub entries ({@link BlockWriter#write},
 * as {@code BlockBenchmark.seal} does) and of reading all its pages back (with no page cache,
 * with and without an index cache), per codec: the best of the rounds after a first third of
 * warm-up. Thread CPU time, unlike JMH's wall-clock throughput, barely moves when other processes
 * share the cores, so two builds can be compared on a busy machine; it leaves out the time spent
 * waiting for fsync.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.timberdb.bench.tools.BlockCpu [ROUNDS (15)]
 * </pre>
 * (run it from the repository root: the loghub samples are read from {@code data/loghub}).
 */
public final class BlockCpu {

    private static final int ENTRIES = 50_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private BlockCpu() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        List<LogEntry> data = BenchData.logEntries(ENTRIES);
        Path dir = Files.createTempDirectory("block-cpu");
        try {
            for (String codec : List.of("LZ4", "Zstd", "None")) {
                BlockWriter writer = new BlockWriter(BlockOptions.DEFAULTS.withCompression(
                        CompressionSettings.fromSpec(codec, null, null)));
                Path file = dir.resolve(codec + ".blk");
                long seal = best(rounds, () -> {
                    Files.deleteIfExists(file);
                    writer.write(file, data);
                });
                long coldIndex = best(rounds, () -> readAll(file, 0));
                long cachedIndex = best(rounds, () -> readAll(file, 64L << 20));
                System.out.printf("%-4s seal %6.1f ms (%,9.0f entries/CPU-s)   read, no index cache %6.1f ms (%,10.0f)"
                        + "   read, index cached %6.1f ms (%,10.0f)%n", codec, seal / 1e6, perSecond(seal),
                        coldIndex / 1e6, perSecond(coldIndex), cachedIndex / 1e6, perSecond(cachedIndex));
                Files.delete(file);
            }
        } finally {
            BenchData.deleteTree(dir);
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    /** The least thread CPU time of one step among the rounds after the first third. */
    private static long best(int rounds, Step step) throws IOException {
        long best = Long.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long start = THREADS.getCurrentThreadCpuTime();
            step.run();
            long used = THREADS.getCurrentThreadCpuTime() - start;
            if (r >= rounds / 3) {
                best = Math.min(best, used);
            }
        }
        return best;
    }

    private static void readAll(Path file, long indexCacheBytes) throws IOException {
        try (BlockReader reader = BlockReader.open(file, new BlockCache(0, indexCacheBytes))) {
            for (int page = 0; page < reader.pageCount(); page++) {
                reader.readPage(page);
            }
        }
    }

    private static double perSecond(long nanos) {
        return ENTRIES / (nanos / 1e9);
    }
}
