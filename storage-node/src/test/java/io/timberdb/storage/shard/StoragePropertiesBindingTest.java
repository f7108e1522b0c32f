package io.timberdb.storage.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.storage.index.Tokenizer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The word-length settings reach the blocks' tokenizer, and a contradictory pair is refused at start-up. */
class StoragePropertiesBindingTest {

    private static StorageProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("timberdb.storage", StorageProperties.class);
    }

    @Test
    void wordLengthsConfigureTheTokenizerOfNewBlocks() {
        StorageProperties storage = bind(Map.of("timberdb.storage.min-word-length", "2",
                "timberdb.storage.max-word-length", "20"));
        assertThat(storage.storeOptions().blocks().tokenizer()).isEqualTo(new Tokenizer(2, 20));
    }

    @Test
    void aMinimumAboveTheMaximumIsRefused() {
        assertThatThrownBy(() -> bind(Map.of("timberdb.storage.min-word-length", "9",
                "timberdb.storage.max-word-length", "5")))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .hasStackTraceContaining("min-word-length");
    }
}
