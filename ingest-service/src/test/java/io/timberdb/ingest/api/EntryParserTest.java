package io.timberdb.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class EntryParserTest {

    final EntryParser parser = new EntryParser(JsonMapper.builder().build());

    @Test
    void readsOneObjectAnArrayOrNdjson() {
        assertThat(parser.parseJson("{\"source\":\"s\",\"message\":\"m\"}").paths()).containsExactly("");
        assertThat(parser.parseJson("[{\"source\":\"s\",\"message\":\"m\"},{\"source\":\"t\",\"message\":\"n\"}]").paths())
                .containsExactly("[0]", "[1]");
        var nd = parser.parseNdjson("{\"source\":\"s\",\"message\":\"m\"}\r\n\n{\"source\":\"t\",\"message\":\"n\",\"tags\":{\"n\":5}}\n");
        assertThat(nd.paths()).containsExactly("[0]", "[1]");
        assertThat(nd.entries().get(1).tags()).containsEntry("n", "5");
    }

    @Test
    void malformedJsonIsAClearError() {
        assertThatThrownBy(() -> parser.parseJson("{\"source\": "))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
        assertThatThrownBy(() -> parser.parseNdjson("{\"source\":\"s\",\"message\":\"m\"}\nnot json\n"))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.getMessage()).contains("line 2"));
    }

    @Test
    void aNonObjectOrAWrongTypeNamesTheEntry() {
        assertThatThrownBy(() -> parser.parseJson("[{\"source\":\"s\",\"message\":\"m\"}, 5]"))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("[1]"));
        assertThatThrownBy(() -> parser.parseJson("[{\"source\":\"s\",\"message\":\"m\",\"tags\":\"oops\"}]"))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("[0].tags"));
    }
}
