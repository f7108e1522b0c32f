package io.timberdb.storage.codec;

import java.util.Optional;

/**
 * A compression algorithm for the column chunks of block pages, with the stable one-byte id a
 * block records in its header. The ids are part of the block format: never renumber or reuse one.
 *
 * <table>
 *   <caption>Codecs</caption>
 *   <tr><th>id</th><th>codec</th><th>spec name</th><th>level</th></tr>
 *   <tr><td>0</td><td>{@link #NONE}</td><td>{@code None}</td><td>ignored</td></tr>
 *   <tr><td>1</td><td>{@link #LZ4}</td><td>{@code LZ4}</td><td>the LZ4 block format; {@code 0..2}: the fast compressor,
 *       {@code 3..12}: LZ4 HC at that level (same format and decompression)</td></tr>
 *   <tr><td>2</td><td>{@link #ZSTD}</td><td>{@code Zstd}</td><td>zstd level, {@code -131072..22}; single frame with the content size</td></tr>
 *   <tr><td>3</td><td>{@link #SNAPPY}</td><td>{@code Snappy}</td><td>ignored: the raw Snappy format (no framing)</td></tr>
 *   <tr><td>4</td><td>{@link #GZIP}</td><td>{@code Gzip}</td><td>deflate level, {@code 0..9}; one RFC 1952 member</td></tr>
 * </table>
 *
 * <p>The caller always knows the uncompressed length (blocks store it next to the compressed
 * bytes), so {@link #decompress} allocates the output once and rejects input that does not
 * produce exactly that many bytes.
 *
 * <p>Thread-safe: the LZ4 compressors are stateless; zstd contexts and zlib deflaters/inflaters
 * are taken from small bounded pools, so concurrent calls neither share state nor allocate a
 * native context per call in the steady state.
 */
public enum Codec {

    NONE(0, "None", 0, 0, new IdentityCompressor()),
    LZ4(1, "LZ4", Lz4Compressor.MIN_LEVEL, Lz4Compressor.MAX_LEVEL, new Lz4Compressor()),
    ZSTD(2, "Zstd", -131072, 22, new ZstdCompressor()),
    SNAPPY(3, "Snappy", Integer.MIN_VALUE, Integer.MAX_VALUE, new SnappyCompressor()),
    GZIP(4, "Gzip", 0, 9, new GzipCompressor());

    private final int id;
    private final String specName;
    private final int minLevel;
    private final int maxLevel;
    private final Compressor compressor;

    Codec(int id, String specName, int minLevel, int maxLevel, Compressor compressor) {
        this.id = id;
        this.specName = specName;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.compressor = compressor;
    }

    /** The one-byte id written into blocks. */
    public int id() {
        return id;
    }

    /** The name used in configuration ({@code compression = "LZ4"}). */
    public String specName() {
        return specName;
    }

    /** Whether {@code level} is meaningful and valid for this codec (codecs without levels accept any). */
    public boolean acceptsLevel(int level) {
        return this == NONE || (level >= minLevel && level <= maxLevel);
    }

    /** The codec with the given block id, or empty when this build does not know it. */
    public static Optional<Codec> byId(int id) {
        for (Codec codec : values()) {
            if (codec.id == id) {
                return Optional.of(codec);
            }
        }
        return Optional.empty();
    }

    /**
     * The codec named in configuration, case-insensitively ({@code None}, {@code LZ4}, {@code Zstd},
     * {@code Snappy}, {@code Gzip}).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Codec fromSpecName(String name) {
        for (Codec codec : values()) {
            if (codec.specName.equalsIgnoreCase(name.trim())) {
                return codec;
            }
        }
        throw new IllegalArgumentException("unknown compression \"" + name + "\"; expected one of None, LZ4, Zstd, Snappy, Gzip");
    }

    /** Compresses all of {@code in}. */
    public byte[] compress(byte[] in, int level) {
        return compress(in, 0, in.length, level);
    }

    /** Compresses {@code length} bytes of {@code in} from {@code offset}; the result is a new array. */
    public byte[] compress(byte[] in, int offset, int length, int level) {
        java.util.Objects.checkFromIndexSize(offset, length, in.length);
        return compressor.compress(in, offset, length, level);
    }

    /**
     * Decompresses all of {@code in} into a new array of exactly {@code uncompressedLength} bytes.
     *
     * @throws CodecException when the input is malformed or does not decompress to exactly that length
     */
    public byte[] decompress(byte[] in, int uncompressedLength) {
        return decompress(in, 0, in.length, uncompressedLength);
    }

    /** Decompresses {@code length} bytes of {@code in} from {@code offset}; see {@link #decompress(byte[], int)}. */
    public byte[] decompress(byte[] in, int offset, int length, int uncompressedLength) {
        java.util.Objects.checkFromIndexSize(offset, length, in.length);
        if (uncompressedLength < 0) {
            throw new CodecException("negative uncompressed length " + uncompressedLength);
        }
        return compressor.decompress(in, offset, length, uncompressedLength);
    }
}
