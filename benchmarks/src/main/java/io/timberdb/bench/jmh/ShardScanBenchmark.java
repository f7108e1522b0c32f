package io.timberdb.bench.jmh;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.storage.block.BlockOptions;
import io.timberdb.storage.codec.CompressionSettings;
import io.timberdb.storage.shard.ShardStore;
import io.timberdb.storage.shard.StoreOptions;
import io.timberdb.storage.wal.FsyncPolicy;
import io.timberdb.storage.wal.WalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * A shard query through {@link ShardStore#query}: the newest {@code limit} matches of the filter
 * over a shard of {@code entries} loghub entries, appended through the real WAL (fsync none) in
 * the setup. {@code layout}: {@code ACTIVE} keeps them all in the in-memory active block (the
 * default rotation, 32 MiB, is not reached); {@code SEALED} closes the store (a graceful close
 * seals the active block) and reopens it, so they are all in one sealed block file of the
 * {@code codec}: the query prunes pages by time, postings and bloom filters and decompresses the
 * rest (through the default page cache, warm after the first iteration).
 * Score: queries/s; entries/s = score × entries (the shard's size, not what was decompressed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ShardScanBenchmark {

    @Param({"100000"})
    public int entries;

    /** Where the entries are when the query runs. */
    public enum Layout { ACTIVE, SEALED }

    @Param({"ACTIVE", "SEALED"})
    public Layout layout;

    @Param({"LZ4"})
    public String codec;

    private Path dir;
    private ShardStore store;
    private final ShardId shard = new ShardId("bench", 0);
    private ShardQuery all;
    private ShardQuery levelError;
    private ShardQuery messageContains;
    private ShardQuery sourceInWindow;

    @Setup(Level.Trial)
    public void load() throws IOException {
        dir = Files.createTempDirectory("timberdb-jmh-shard");
        StoreOptions options = StoreOptions.DEFAULTS
                .withWal(new WalOptions(FsyncPolicy.NONE, 1024, 64L * 1024 * 1024))
                .withBlocks(BlockOptions.DEFAULTS.withCompression(CompressionSettings.fromSpec(codec, null, null)));
        store = new ShardStore(dir, options);
        List<LogEntry> data = BenchData.logEntries(entries);
        for (int from = 0; from < data.size(); from += 10_000) {
            store.append(shard, data.subList(from, Math.min(data.size(), from + 10_000))).block();
        }
        if (layout == Layout.SEALED) {
            store.close(); // seals the active block
            store = new ShardStore(dir, options);
            try (var blocks = Files.list(dir.resolve("shards").resolve(shard.partition()).resolve("0").resolve("blocks"))) {
                if (blocks.findAny().isEmpty()) {
                    throw new IllegalStateException("no sealed block after a graceful close in " + dir);
                }
            }
        }
        if (store.stats().entries() != entries) {
            throw new IllegalStateException("the shard holds " + store.stats().entries() + " entries, not " + entries);
        }
        String middle = data.get(data.size() / 2).timestamp().toString();
        String late = data.get(data.size() * 3 / 4).timestamp().toString();
        all = new ShardQuery(QueryFilter.ALL, 100);
        levelError = new ShardQuery(new QueryFilter(null, null, Map.of("level", "error"), null), 100);
        messageContains = new ShardQuery(new QueryFilter(null, null, Map.of(), "authentication failure"), 100);
        sourceInWindow = new ShardQuery(new QueryFilter(List.of(middle, late), "hdfs-node-03", Map.of(), null), 100);
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        BenchData.deleteTree(dir);
    }

    /** No filter: every entry matches; the newest 100 are kept. */
    @Benchmark
    public ShardQueryResult matchAll() {
        return store.query(shard, all).block();
    }

    /** tags.level = error (2.5% of the entries). */
    @Benchmark
    public ShardQueryResult tagLevelError() {
        return store.query(shard, levelError).block();
    }

    /** message_contains "authentication failure" (a substring search of every message). */
    @Benchmark
    public ShardQueryResult messageContains() {
        return store.query(shard, messageContains).block();
    }

    /** source = hdfs-node-03 within a quarter of the time range. */
    @Benchmark
    public ShardQueryResult sourceInTimeRange() {
        return store.query(shard, sourceInWindow).block();
    }
}
