package io.timberdb.storage.codec;

import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * {@link Codec#LZ4}: the LZ4 block format (no frame; the length is stored by the caller). Levels
 * {@value #MIN_LEVEL}-{@value #FAST_MAX_LEVEL} use the fast compressor; levels
 * {@value #HC_MIN_LEVEL}-{@value #MAX_LEVEL} use LZ4 HC at that level, whose output is the same
 * format and decompresses as fast, in fewer bytes (on log messages about 20% fewer at level 3, for
 * a compressor about 6 times slower: a good trade for blocks, written once at seal and read many
 * times). Decompression uses the bounds-checking ("safe") decompressor, since stored bytes may be
 * damaged.
 *
 * <p>Thread-safe: lz4-java compressor and decompressor instances are stateless.
 */
final class Lz4Compressor implements Compressor {

    static final int MIN_LEVEL = 0;
    static final int FAST_MAX_LEVEL = 2;
    static final int HC_MIN_LEVEL = 3;
    static final int MAX_LEVEL = 12;

    /** Looked up on first use, not when {@link Codec} loads, so a missing native library only affects LZ4. */
    private static final class Holder {
        static final LZ4Factory FACTORY = factory();
        static final LZ4Compressor FAST = FACTORY.fastCompressor();
        static final LZ4Compressor[] HIGH = new LZ4Compressor[MAX_LEVEL + 1];
        static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();

        static {
            for (int level = HC_MIN_LEVEL; level <= MAX_LEVEL; level++) {
                HIGH[level] = FACTORY.highCompressor(level);
            }
        }

        /**
         * The JNI binding of liblz4 when it loads, else the fastest Java one. lz4-java's own
         * {@code fastestInstance()} skips JNI whenever it is not loaded by the system class loader,
         * which is never the case inside a Spring Boot jar; one class loader loads it here, so JNI is safe.
         */
        private static LZ4Factory factory() {
            try {
                return LZ4Factory.nativeInstance();
            } catch (Throwable e) { // no native library for this platform, or no writable temp directory
                return LZ4Factory.fastestJavaInstance();
            }
        }
    }

    @Override
    public byte[] compress(byte[] in, int offset, int length, int level) {
        LZ4Compressor compressor = level >= HC_MIN_LEVEL ? Holder.HIGH[Math.min(level, MAX_LEVEL)] : Holder.FAST;
        byte[] out = new byte[compressor.maxCompressedLength(length)];
        int size = compressor.compress(in, offset, length, out, 0, out.length);
        return Arrays.copyOf(out, size);
    }

    @Override
    public byte[] decompress(byte[] in, int offset, int length, int uncompressedLength) {
        byte[] out = new byte[uncompressedLength];
        int size;
        try {
            size = Holder.DECOMPRESSOR.decompress(in, offset, length, out, 0, uncompressedLength);
        } catch (LZ4Exception e) {
            throw new CodecException("malformed LZ4 input: " + e.getMessage(), e);
        }
        if (size != uncompressedLength) {
            throw new CodecException("LZ4 input decompressed to " + size + " bytes, expected " + uncompressedLength);
        }
        return out;
    }
}
