package io.timberdb.storage.codec;

import java.util.Objects;

/**
 * How block pages are compressed, mirroring the spec's storage settings:
 * {@code compression} ("None", "LZ4", "Zstd", "Snappy", "Gzip"; default LZ4),
 * {@code compression_level} (default 3; used by LZ4 (1-2 fast, 3-12 LZ4 HC), Zstd and Gzip,
 * ignored by the others) and
 * {@code compression_threshold} (default 4096 bytes).
 *
 * <p>The threshold applies to each column chunk of a page: a chunk smaller than it is stored
 * uncompressed, and so is a chunk that the codec does not make smaller; each chunk records which
 * it is, so readers need neither the threshold nor the level.
 *
 * @param codec the algorithm
 * @param level the algorithm's level
 * @param threshold the smallest chunk, in bytes, that is compressed
 */
public record CompressionSettings(Codec codec, int level, int threshold) {

    public static final int DEFAULT_LEVEL = 3;
    public static final int DEFAULT_THRESHOLD = 4096;

    /** LZ4, level 3 (LZ4 HC), threshold 4096 bytes. */
    public static final CompressionSettings DEFAULTS = new CompressionSettings(Codec.LZ4, DEFAULT_LEVEL, DEFAULT_THRESHOLD);

    public CompressionSettings {
        Objects.requireNonNull(codec, "codec");
        if (!codec.acceptsLevel(level)) {
            throw new IllegalArgumentException("compression level " + level + " is out of range for " + codec.specName());
        }
        if (threshold < 0) {
            throw new IllegalArgumentException("compression threshold must not be negative: " + threshold);
        }
    }

    /** The settings for {@code codec} with the default level and threshold. */
    public static CompressionSettings of(Codec codec) {
        return new CompressionSettings(codec, codec == Codec.NONE ? 0 : DEFAULT_LEVEL, DEFAULT_THRESHOLD);
    }

    /**
     * Settings from the spec's configuration values.
     *
     * @param compression a codec name, case-insensitive; null means the default (LZ4)
     * @param level null means 3
     * @param threshold null means 4096
     */
    public static CompressionSettings fromSpec(String compression, Integer level, Integer threshold) {
        Codec codec = compression == null ? Codec.LZ4 : Codec.fromSpecName(compression);
        int effectiveLevel = codec == Codec.NONE ? 0 : level == null ? DEFAULT_LEVEL : level;
        return new CompressionSettings(codec, effectiveLevel, threshold == null ? DEFAULT_THRESHOLD : threshold);
    }

    /** Whether a chunk of {@code length} bytes should be offered to the codec at all. */
    public boolean shouldCompress(int length) {
        return codec != Codec.NONE && length >= threshold;
    }

    /** Compresses with this codec and level. */
    public byte[] compress(byte[] in, int offset, int length) {
        return codec.compress(in, offset, length, level);
    }
}
