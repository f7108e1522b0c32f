package io.timberdb.storage.codec;

import java.util.Arrays;

/** {@link Codec#NONE}: a copy. Stateless; thread-safe. */
final class IdentityCompressor implements Compressor {

    @Override
    public byte[] compress(byte[] in, int offset, int length, int level) {
        return Arrays.copyOfRange(in, offset, offset + length);
    }

    @Override
    public byte[] decompress(byte[] in, int offset, int length, int uncompressedLength) {
        if (length != uncompressedLength) {
            throw new CodecException("stored length " + length + " != expected " + uncompressedLength);
        }
        return Arrays.copyOfRange(in, offset, offset + length);
    }
}
