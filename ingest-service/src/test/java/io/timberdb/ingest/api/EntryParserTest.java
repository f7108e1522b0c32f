package io.timberdb.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class EntryParserTest {

    final EntryParser parser = new EntryParser(JsonMapper.builder().build());

    static InputStream utf8(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsOneObjectAnArrayOrNdjson() {
        assertThat(parser.parseJson(utf8("{\"source\":\"s\",\"message\":\"m\"}")).paths()).containsExactly("");
        assertThat(parser.parseJson(utf8("[{\"source\":\"s\",\"message\":\"m\"},{\"source\":\"t\",\"message\":\"n\"}]")).paths())
                .containsExactly("[0]", "[1]");
        var nd = parser.parseNdjson(utf8("{\"source\":\"s\",\"message\":\"m\"}\r\n\n{\"source\":\"t\",\"message\":\"n\",\"tags\":{\"n\":5}}\n"));
        assertThat(nd.paths()).containsExactly("[0]", "[1]");
        assertThat(nd.entries().get(1).tags()).containsEntry("n", "5");
    }

    @Test
    void malformedJsonIsAClearError() {
        assertThatThrownBy(() -> parser.parseJson(utf8("{\"source\": ")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
        assertThatThrownBy(() -> parser.parseNdjson(utf8("{\"source\":\"s\",\"message\":\"m\"}\nnot json\n")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.getMessage()).contains("line 2"));
    }

    @Test
    void aNonObjectOrAWrongTypeNamesTheEntry() {
        assertThatThrownBy(() -> parser.parseJson(utf8("[{\"source\":\"s\",\"message\":\"m\"}, 5]")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("[1]"));
        assertThatThrownBy(() -> parser.parseJson(utf8("[{\"source\":\"s\",\"message\":\"m\",\"tags\":\"oops\"}]")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("[0].tags"));
    }

    @Test
    void scalarsAreTakenAsTextAndOtherFieldsAreIgnored() {
        var parsed = parser.parseJson(utf8("{\"timestamp\":1764150000000,\"source\":\"s\",\"extra\":{\"a\":[1,2]},"
                + "\"tags\":{\"ok\":true,\"n\":1.5,\"none\":null},\"message\":\"m\"}"));
        var entry = parsed.entries().get(0);
        assertThat(entry.timestamp()).isEqualTo("1764150000000");
        assertThat(entry.tags()).containsEntry("ok", "true").containsEntry("n", "1.5").containsEntry("none", null);
        assertThat(entry.message()).isEqualTo("m");
    }

    @Test
    void nestedValuesWhereTextBelongsAndTrailingContentAreRefused() {
        assertThatThrownBy(() -> parser.parseNdjson(utf8("{\"source\":{\"x\":1},\"message\":\"m\"}\n")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("[0].source"));
        assertThatThrownBy(() -> parser.parseJson(utf8("{\"source\":\"s\",\"message\":\"m\",\"tags\":{\"k\":[1]}}")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("tags"));
        assertThatThrownBy(() -> parser.parseJson(utf8("{\"source\":\"s\",\"message\":\"m\"} {}")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
        assertThatThrownBy(() -> parser.parseJson(utf8("  ")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
    }

    @Test
    void entriesThatRepeatASourceOrATagSetShareOneInstance() {
        var parsed = parser.parseNdjson(utf8("""
                {"source":"web-1","tags":{"level":"info","app":"shop"},"message":"a"}
                {"source":"web-1","tags":{"level":"warn","app":"shop"},"message":"b"}
                {"source":"web-1","tags":{"level":"info","app":"shop"},"message":"c"}
                {"source":"web-1","tags":{"level":"info","level":"warn"},"message":"d"}
                """));
        var entries = parsed.entries();
        assertThat(entries.get(2).source()).isSameAs(entries.get(0).source());
        assertThat(entries.get(2).tags()).isSameAs(entries.get(0).tags()).containsExactly(
                java.util.Map.entry("level", "info"), java.util.Map.entry("app", "shop"));
        assertThat(entries.get(1).tags()).isNotSameAs(entries.get(0).tags()).containsEntry("level", "warn");
        assertThat(entries.get(3).tags()).containsExactly(java.util.Map.entry("level", "warn"));
        assertThat(parsed.paths()).containsExactly("[0]", "[1]", "[2]", "[3]");
    }
}
