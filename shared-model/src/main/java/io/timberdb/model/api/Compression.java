package io.timberdb.model.api;

import io.timberdb.model.error.TimberException;
import java.util.List;

/**
 * A partition's compression, as the spec names it: {@code compression} (None, LZ4, Zstd, Snappy,
 * Gzip), {@code compression_level} (LZ4 1-12: 1-2 fast, 3-12 LZ4 HC; Zstd 1-22; Gzip 1-9; ignored
 * by the others) and {@code compression_threshold} (bytes below which a page chunk stays
 * uncompressed). A null field means the storage node's default.
 */
public record Compression(String codec, Integer level, Integer threshold) {

    /** The codec names, in their canonical spelling. */
    public static final List<String> CODECS = List.of("None", "LZ4", "Zstd", "Snappy", "Gzip");

    /** Checks the three request fields; returns them with the codec name in canonical spelling. */
    public static Compression validated(String codec, Integer level, Integer threshold) {
        String canonical = null;
        if (codec != null) {
            canonical = CODECS.stream().filter(c -> c.equalsIgnoreCase(codec.trim())).findFirst()
                    .orElseThrow(() -> TimberException.invalidField("compression", "must be one of " + CODECS));
        }
        if (level != null) {
            int max = "Zstd".equals(canonical) ? 22 : "Gzip".equals(canonical) ? 9 : "LZ4".equals(canonical) ? 12
                    : Integer.MAX_VALUE;
            if (level < 1 || level > max) {
                throw TimberException.invalidField("compression_level",
                        "must be 1-" + (max == Integer.MAX_VALUE ? "…" : max) + " for " + canonical);
            }
        }
        if (threshold != null && threshold < 0) {
            throw TimberException.invalidField("compression_threshold", "must not be negative");
        }
        return new Compression(canonical, level, threshold);
    }
}
