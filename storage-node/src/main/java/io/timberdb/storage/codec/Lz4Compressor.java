package io.timberdb.storage.codec;

import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * {@link Codec#LZ4}: the LZ4 block format (no frame; the length is stored by the caller). The
 * level is ignored: the fast compressor is used, which is the point of choosing LZ4. Decompression
 * uses the bounds-checking ("safe") decompressor, since stored bytes may be damaged.
 *
 * <p>Thread-safe: lz4-java compressor and decompressor instances are stateless.
 */
final class Lz4Compressor implements Compressor {

    /** Looked up on first use, not when {@link Codec} loads, so a missing native library only affects LZ4. */
    private static final class Holder {
        static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
        static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();
        static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();
    }

    @Override
    public byte[] compress(byte[] in, int offset, int length, int level) {
        LZ4Compressor compressor = Holder.COMPRESSOR;
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
