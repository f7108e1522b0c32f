package io.timberdb.ingest.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.error.TimberException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelTextTest {

    @Test
    void readsQuotedValuesWithEscapesInOrder() {
        assertThat(LabelText.parse(" { job=\"api\" , msg = \"a \\\"b\\\" \\\\ c\\nd\", _x1=\"\", } ", "l"))
                .containsExactly(Map.entry("job", "api"), Map.entry("msg", "a \"b\" \\ c\nd"), Map.entry("_x1", ""));
        assertThat(LabelText.parse("{}", "l")).isEmpty();
    }

    @Test
    void refusesWhatIsNotALabelSetNamingThePath() {
        for (String bad : new String[] {"", "job=\"a\"", "{job=a}", "{1job=\"a\"}", "{job=\"a\"", "{job=\"a\\x\"}",
                "{job=\"a\"} extra", "{job=\"a\",job=\"b\"}", "{job=\"a\" level=\"b\"}", "{job=\"a\\"}) {
            assertThatThrownBy(() -> LabelText.parse(bad, "streams[3].labels")).as(bad)
                    .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("streams[3].labels"));
        }
    }
}
