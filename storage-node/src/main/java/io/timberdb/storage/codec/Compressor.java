package io.timberdb.storage.codec;

/** One compression algorithm behind {@link Codec}. Implementations are stateless or pool their state; thread-safe. */
interface Compressor {

    byte[] compress(byte[] in, int offset, int length, int level);

    /** @throws CodecException when the input is malformed or its output is not exactly {@code uncompressedLength} bytes */
    byte[] decompress(byte[] in, int offset, int length, int uncompressedLength);
}
