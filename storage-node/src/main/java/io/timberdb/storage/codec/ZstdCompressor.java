package io.timberdb.storage.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.util.Arrays;

/**
 * {@link Codec#ZSTD}: one zstd frame per call, with the content size in the frame header and no
 * checksum (the block's CRC32C covers the stored bytes). Contexts come from bounded pools; the
 * level is set on every use, since a pooled context may last have been used with another.
 *
 * <p>Thread-safe.
 */
final class ZstdCompressor implements Compressor {

    private static final ResourcePool<ZstdCompressCtx> COMPRESSORS =
            ResourcePool.perProcessor(ZstdCompressCtx::new, ZstdCompressCtx::close);
    private static final ResourcePool<ZstdDecompressCtx> DECOMPRESSORS =
            ResourcePool.perProcessor(ZstdDecompressCtx::new, ZstdDecompressCtx::close);

    @Override
    public byte[] compress(byte[] in, int offset, int length, int level) {
        ZstdCompressCtx context = COMPRESSORS.take();
        boolean reusable = false;
        try {
            context.setLevel(level);
            byte[] out = new byte[Math.toIntExact(Zstd.compressBound(length))];
            int size = context.compressByteArray(out, 0, out.length, in, offset, length);
            reusable = true;
            return Arrays.copyOf(out, size);
        } finally {
            release(COMPRESSORS, context, reusable);
        }
    }

    @Override
    public byte[] decompress(byte[] in, int offset, int length, int uncompressedLength) {
        ZstdDecompressCtx context = DECOMPRESSORS.take();
        boolean reusable = false;
        try {
            long declared = Zstd.getFrameContentSize(in, offset, length);
            if (declared != uncompressedLength) {
                throw new CodecException("zstd frame declares " + declared + " bytes, expected " + uncompressedLength);
            }
            byte[] out = new byte[uncompressedLength];
            int size = context.decompressByteArray(out, 0, uncompressedLength, in, offset, length);
            if (size != uncompressedLength) {
                throw new CodecException("zstd input decompressed to " + size + " bytes, expected " + uncompressedLength);
            }
            reusable = true;
            return out;
        } catch (RuntimeException e) {
            if (e instanceof CodecException codecException) {
                throw codecException;
            }
            throw new CodecException("malformed zstd input: " + e.getMessage(), e);
        } finally {
            release(DECOMPRESSORS, context, reusable);
        }
    }

    private static <T> void release(ResourcePool<T> pool, T context, boolean reusable) {
        if (reusable) {
            pool.give(context);
        } else {
            pool.discard(context);
        }
    }
}
