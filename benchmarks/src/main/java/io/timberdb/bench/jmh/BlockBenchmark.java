package io.timberdb.bench.jmh;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.block.BlockCache;
import io.timberdb.storage.block.BlockMeta;
import io.timberdb.storage.block.BlockOptions;
import io.timberdb.storage.block.BlockReader;
import io.timberdb.storage.block.BlockWriter;
import io.timberdb.storage.codec.CompressionSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sealing and reading one block of {@code entries} loghub entries with the partition codec:
 * {@code seal} is {@link BlockWriter#write} (sort, encode the five column chunks of every page,
 * compress them, postings, bloom filters, footer, fsync and rename), as a shard's sealer does it;
 * {@code readAll} opens the block and decodes every page with no page cache (a cache of 0 bytes),
 * as a cold full scan would. Score: blocks/s; entries/s = score × entries.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class BlockBenchmark {

    @Param({"50000"})
    public int entries;

    @Param({"LZ4", "Zstd", "None"})
    public String codec;

    private List<LogEntry> data;
    private BlockWriter writer;
    private Path dir;
    private Path readable;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        data = BenchData.logEntries(entries);
        writer = new BlockWriter(BlockOptions.DEFAULTS.withCompression(CompressionSettings.fromSpec(codec, null, null)));
        dir = Files.createTempDirectory("timberdb-jmh-block");
        readable = dir.resolve("read.blk");
        BlockMeta meta = writer.write(readable, data);
        System.out.printf("%n%s block of %d entries: %d bytes (%.1f B/entry)%n", codec, entries, Files.size(readable),
                (double) Files.size(readable) / entries);
    }

    @TearDown(Level.Iteration)
    public void clean() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (!p.equals(readable)) {
                    Files.delete(p);
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchData.deleteTree(dir);
    }

    @Benchmark
    public BlockMeta seal() throws IOException {
        return writer.write(dir.resolve("b" + (next++) + ".blk"), data);
    }

    @Benchmark
    public long readAll() throws IOException {
        long n = 0;
        try (BlockReader reader = BlockReader.open(readable, new BlockCache(0, 0))) {
            for (int page = 0; page < reader.pageCount(); page++) {
                n += reader.readPage(page).size();
            }
        }
        return n;
    }
}
