package io.timberdb.storage.codec;

import java.io.IOException;
import java.util.Arrays;
import org.xerial.snappy.Snappy;

/**
 * {@link Codec#SNAPPY}: the raw Snappy format (the uncompressed length is its varint preamble,
 * checked against the caller's). The level is ignored. Thread-safe: snappy-java's raw calls are
 * stateless.
 */
final class SnappyCompressor implements Compressor {

    @Override
    public byte[] compress(byte[] in, int offset, int length, int level) {
        byte[] out = new byte[Snappy.maxCompressedLength(length)];
        try {
            int size = Snappy.compress(in, offset, length, out, 0);
            return Arrays.copyOf(out, size);
        } catch (IOException e) {
            throw new IllegalStateException("Snappy compression failed", e);
        }
    }

    @Override
    public byte[] decompress(byte[] in, int offset, int length, int uncompressedLength) {
        try {
            int declared = Snappy.uncompressedLength(in, offset, length);
            if (declared != uncompressedLength) {
                throw new CodecException("Snappy input declares " + declared + " bytes, expected " + uncompressedLength);
            }
            byte[] out = new byte[uncompressedLength];
            int size = Snappy.uncompress(in, offset, length, out, 0);
            if (size != uncompressedLength) {
                throw new CodecException("Snappy input decompressed to " + size + " bytes, expected " + uncompressedLength);
            }
            return out;
        } catch (IOException | RuntimeException e) {
            if (e instanceof CodecException codecException) {
                throw codecException;
            }
            throw new CodecException("malformed Snappy input: " + e.getMessage(), e);
        }
    }
}
