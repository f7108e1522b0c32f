package io.timberdb.bench.codec;

import com.github.luben.zstd.Zstd;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.xerial.snappy.Snappy;

/**
 * The general-purpose codecs the block format may use, through their raw libraries, block at a
 * time (the caller knows the original length, as a block header would). A codec instance is not
 * thread-safe (gzip keeps a Deflater/Inflater): use one per thread.
 */
public enum Codec {
    /** LZ4 fast (lz4-java, JNI when available). */
    LZ4,
    /** LZ4 HC, level 9. */
    LZ4_HC,
    /** Zstandard level 1 (zstd-jni). */
    ZSTD_1,
    /** Zstandard level 3, zstd's default. */
    ZSTD_3,
    /** Zstandard level 9. */
    ZSTD_9,
    /** Snappy (snappy-java). */
    SNAPPY,
    /** DEFLATE level 6, gzip's default (java.util.zip, zlib framing). */
    GZIP_6;

    /** A compressor/decompressor pair with its buffers' sizing. */
    public interface Engine {
        /** The largest compressed size of {@code length} bytes. */
        int maxCompressedLength(int length);

        /** Compresses {@code src[0, length)} into {@code dst}; returns the compressed length. */
        int compress(byte[] src, int length, byte[] dst);

        /** Decompresses {@code src[0, length)} into {@code dst}, which must be the original length. */
        void decompress(byte[] src, int length, byte[] dst, int originalLength);
    }

    /** A new engine (holding per-thread state where the library needs it). */
    public Engine engine() {
        return switch (this) {
            case LZ4 -> lz4(LZ4Factory.fastestInstance().fastCompressor());
            case LZ4_HC -> lz4(LZ4Factory.fastestInstance().highCompressor(9));
            case ZSTD_1 -> zstd(1);
            case ZSTD_3 -> zstd(3);
            case ZSTD_9 -> zstd(9);
            case SNAPPY -> new Engine() {
                @Override
                public int maxCompressedLength(int length) {
                    return Snappy.maxCompressedLength(length);
                }

                @Override
                public int compress(byte[] src, int length, byte[] dst) {
                    try {
                        return Snappy.compress(src, 0, length, dst, 0);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void decompress(byte[] src, int length, byte[] dst, int originalLength) {
                    try {
                        check(Snappy.uncompress(src, 0, length, dst, 0), originalLength);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            case GZIP_6 -> new Engine() {
                private final Deflater deflater = new Deflater(6);
                private final Inflater inflater = new Inflater();

                @Override
                public int maxCompressedLength(int length) {
                    return length + (length >> 12) + (length >> 14) + (length >> 25) + 64;
                }

                @Override
                public int compress(byte[] src, int length, byte[] dst) {
                    deflater.reset();
                    deflater.setInput(src, 0, length);
                    deflater.finish();
                    int n = deflater.deflate(dst);
                    if (!deflater.finished()) {
                        throw new IllegalStateException("deflate output larger than the buffer");
                    }
                    return n;
                }

                @Override
                public void decompress(byte[] src, int length, byte[] dst, int originalLength) {
                    inflater.reset();
                    inflater.setInput(src, 0, length);
                    try {
                        check(inflater.inflate(dst, 0, originalLength), originalLength);
                    } catch (DataFormatException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        };
    }

    private static Engine lz4(LZ4Compressor compressor) {
        LZ4SafeDecompressor decompressor = LZ4Factory.fastestInstance().safeDecompressor();
        return new Engine() {
            @Override
            public int maxCompressedLength(int length) {
                return compressor.maxCompressedLength(length);
            }

            @Override
            public int compress(byte[] src, int length, byte[] dst) {
                return compressor.compress(src, 0, length, dst, 0, dst.length);
            }

            @Override
            public void decompress(byte[] src, int length, byte[] dst, int originalLength) {
                check(decompressor.decompress(src, 0, length, dst, 0, originalLength), originalLength);
            }
        };
    }

    private static Engine zstd(int level) {
        return new Engine() {
            @Override
            public int maxCompressedLength(int length) {
                return (int) Zstd.compressBound(length);
            }

            @Override
            public int compress(byte[] src, int length, byte[] dst) {
                long n = Zstd.compressByteArray(dst, 0, dst.length, src, 0, length, level);
                if (Zstd.isError(n)) {
                    throw new IllegalStateException(Zstd.getErrorName(n));
                }
                return (int) n;
            }

            @Override
            public void decompress(byte[] src, int length, byte[] dst, int originalLength) {
                long n = Zstd.decompressByteArray(dst, 0, originalLength, src, 0, length);
                if (Zstd.isError(n)) {
                    throw new IllegalStateException(Zstd.getErrorName(n));
                }
                check((int) n, originalLength);
            }
        };
    }

    private static void check(int decompressed, int expected) {
        if (decompressed != expected) {
            throw new IllegalStateException("decompressed " + decompressed + " bytes, expected " + expected);
        }
    }
}
