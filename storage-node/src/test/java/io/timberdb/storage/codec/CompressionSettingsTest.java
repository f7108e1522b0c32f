package io.timberdb.storage.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CompressionSettingsTest {

    @Test
    void defaultsAreTheSpecsLz4Level3Threshold4096() {
        assertThat(CompressionSettings.DEFAULTS).isEqualTo(new CompressionSettings(Codec.LZ4, 3, 4096));
        assertThat(CompressionSettings.fromSpec(null, null, null)).isEqualTo(CompressionSettings.DEFAULTS);
    }

    @Test
    void readsTheSpecsNamesCaseInsensitively() {
        assertThat(CompressionSettings.fromSpec("Zstd", 9, 1024)).isEqualTo(new CompressionSettings(Codec.ZSTD, 9, 1024));
        assertThat(CompressionSettings.fromSpec("gzip", null, null).codec()).isEqualTo(Codec.GZIP);
        assertThat(CompressionSettings.fromSpec("None", 7, null)).isEqualTo(new CompressionSettings(Codec.NONE, 0, 4096));
    }

    @Test
    void rejectsLevelsTheCodecDoesNotHaveAndNegativeThresholds() {
        assertThatThrownBy(() -> new CompressionSettings(Codec.GZIP, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompressionSettings(Codec.ZSTD, 23, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompressionSettings(Codec.LZ4, 3, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompressionSettings(Codec.LZ4, 13, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new CompressionSettings(Codec.SNAPPY, 99, 0).level()).isEqualTo(99); // ignored by Snappy
    }

    @Test
    void chunksBelowTheThresholdAreNotOfferedToTheCodec() {
        CompressionSettings settings = new CompressionSettings(Codec.ZSTD, 3, 4096);
        assertThat(settings.shouldCompress(4095)).isFalse();
        assertThat(settings.shouldCompress(4096)).isTrue();
        assertThat(new CompressionSettings(Codec.NONE, 0, 0).shouldCompress(1 << 20)).isFalse();
    }
}
