package io.timberdb.model.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.error.TimberException;
import org.junit.jupiter.api.Test;

class CompressionTest {

    @Test
    void acceptsTheSpecsCodecsInAnyCaseAndCanonicalisesThem() {
        assertThat(Compression.validated("zstd", 19, 0)).isEqualTo(new Compression("Zstd", 19, 0));
        assertThat(new CreatePartitionRequest("a", null, null, "lz4", null, null).validated().compression()).isEqualTo("LZ4");
        assertThat(Compression.validated(null, null, null)).isEqualTo(new Compression(null, null, null));
    }

    @Test
    void rejectsAnUnknownCodecAnOutOfRangeLevelAndANegativeThresholdNamingTheField() {
        assertField(() -> Compression.validated("brotli", null, null), "compression");
        assertField(() -> Compression.validated("Gzip", 10, null), "compression_level");
        assertField(() -> Compression.validated("Zstd", 0, null), "compression_level");
        assertField(() -> Compression.validated("LZ4", null, -1), "compression_threshold");
    }

    private static void assertField(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
