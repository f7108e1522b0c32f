package io.timberdb.bench.jmh;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.wal.FsyncPolicy;
import io.timberdb.storage.wal.WalOptions;
import io.timberdb.storage.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The storage node's write path below HTTP: {@link WriteAheadLog#append} of one batch and the
 * wait for its acknowledgement: encoding (BatchCodec, on the caller's thread), the queue, the
 * writer thread's CRC32C and gathering write, and with {@code PER_BATCH} its fdatasync. One
 * caller, so no group commit. The listener does nothing (the shard's in-memory list is not
 * part of this figure). Score: batches/s; entries/s = score × batchSize.
 *
 * <p>A fresh WAL directory per iteration keeps the disk use bounded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class WalAppendBenchmark {

    @Param({"100", "10000"})
    public int batchSize;

    @Param({"NONE", "PER_BATCH"})
    public FsyncPolicy fsync;

    private List<List<LogEntry>> batches;
    private int next;
    private Path dir;
    private WriteAheadLog wal;

    @Setup(Level.Trial)
    public void data() {
        List<LogEntry> entries = BenchData.logEntries(Math.max(20_000, 4 * batchSize));
        batches = new ArrayList<>();
        for (int from = 0; from + batchSize <= entries.size(); from += batchSize) {
            batches.add(List.copyOf(entries.subList(from, from + batchSize)));
        }
    }

    @Setup(Level.Iteration)
    public void open() throws IOException {
        dir = Files.createTempDirectory("timberdb-jmh-wal");
        wal = WriteAheadLog.open(dir, "jmh", new WalOptions(fsync, 1024, 64L * 1024 * 1024), (base, batch) -> { });
    }

    @TearDown(Level.Iteration)
    public void close() {
        wal.close();
        BenchData.deleteTree(dir);
    }

    @Benchmark
    public long append() {
        List<LogEntry> batch = batches.get(next);
        next = next + 1 == batches.size() ? 0 : next + 1;
        return wal.append(batch).join();
    }
}
