package io.timberdb.bench.jmh;

import io.timberdb.bench.codec.Codec;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compressing and decompressing one block of loghub text with each codec's raw library, one
 * thread. Score: blocks/s; MB/s of uncompressed text = score × blockBytes / 10⁶
 * ({@code JmhReport} computes it). The compression ratios of the same blocks: {@code CodecRatios}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CodecBenchmark {

    @Param({"LZ4", "LZ4_HC", "ZSTD_1", "ZSTD_3", "ZSTD_9", "SNAPPY", "GZIP_6"})
    public Codec codec;

    @Param({"65536", "1048576"})
    public int blockBytes;

    @Param({"MESSAGES"})
    public BenchData.Text text;

    private Codec.Engine engine;
    private byte[] block;
    private byte[] compressed;
    private int compressedLength;
    private byte[] restored;

    @Setup(Level.Trial)
    public void setUp() {
        engine = codec.engine();
        block = BenchData.text(text, blockBytes);
        compressed = new byte[engine.maxCompressedLength(blockBytes)];
        compressedLength = engine.compress(block, block.length, compressed);
        restored = new byte[blockBytes];
        engine.decompress(compressed, compressedLength, restored, blockBytes);
        if (!java.util.Arrays.equals(block, restored)) {
            throw new IllegalStateException(codec + " does not round-trip");
        }
    }

    @Benchmark
    public int compress() {
        return engine.compress(block, block.length, compressed);
    }

    @Benchmark
    public byte[] decompress() {
        engine.decompress(compressed, compressedLength, restored, blockBytes);
        return restored;
    }
}
