package io.timberdb.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepeatedValuesTest {

    static Map<String, String> tags(String... keysAndValues) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            tags.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return tags;
    }

    @Test
    void aMapOfTheSamePairsInTheSameOrderIsTheSameUnmodifiableInstance() {
        RepeatedValues repeated = new RepeatedValues();
        Map<String, String> first = repeated.tags(tags("level", "info", "system", "web"));
        assertThat(first).containsExactly(Map.entry("level", "info"), Map.entry("system", "web"));
        assertThat(repeated.tags(tags("level", "info", "system", "web"))).isSameAs(first);
        assertThat(repeated.tags(new String[] {"level", "info", "system", "web", "unused", "x"}, 2)).isSameAs(first);
        assertThat(repeated.tags(tags("system", "web", "level", "info"))).isNotSameAs(first).isEqualTo(first);
        assertThat(repeated.tags(tags("level", "warn", "system", "web"))).isNotEqualTo(first);
        assertThatThrownBy(() -> first.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keepsNullValuesAndBlankKeysForTheWritePathToRefuse() {
        RepeatedValues repeated = new RepeatedValues();
        Map<String, String> faulty = repeated.tags(tags(" ", "x", "a", null));
        assertThat(faulty).containsExactly(Map.entry(" ", "x"), new java.util.AbstractMap.SimpleEntry<>("a", null));
        assertThat(repeated.tags(tags(" ", "x", "a", null))).isSameAs(faulty);
    }

    @Test
    void aRepeatedStringIsTheSameInstance() {
        RepeatedValues repeated = new RepeatedValues();
        char[] chars = "xx web-1 web-1".toCharArray();
        String first = repeated.string(chars, 3, 5);
        assertThat(first).isEqualTo("web-1");
        assertThat(repeated.string(chars, 9, 5)).isSameAs(first);
        assertThat(repeated.string(chars, 3, 4)).isEqualTo("web-");
    }
}
