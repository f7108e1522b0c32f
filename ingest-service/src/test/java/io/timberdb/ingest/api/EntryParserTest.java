package io.timberdb.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class EntryParserTest {

    final EntryParser parser = new EntryParser(JsonMapper.builder().build());

    /** {@code body} parsed as a single object or an array, fed in chunks of 1 to 16 bytes. */
    EntryParser.Parsed json(String body) {
        return parse(body, false);
    }

    /** {@code body} parsed as NDJSON, fed in chunks of 1 to 16 bytes. */
    EntryParser.Parsed ndjson(String body) {
        return parse(body, true);
    }

    private EntryParser.Parsed parse(String body, boolean ndjson) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Random random = new Random(bytes.length);
        EntryStream stream = parser.open(ndjson);
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(16));
            stream.feed(ByteBuffer.wrap(bytes, at, n));
            at += n;
        }
        return stream.finish();
    }

    @Test
    void readsOneObjectAnArrayOrNdjson() {
        assertThat(json(("{\"source\":\"s\",\"message\":\"m\"}")).paths()).containsExactly("");
        assertThat(json(("[{\"source\":\"s\",\"message\":\"m\"},{\"source\":\"t\",\"message\":\"n\"}]")).paths())
                .containsExactly("[0]", "[1]");
        var nd = ndjson(("{\"source\":\"s\",\"message\":\"m\"}\r\n\n{\"source\":\"t\",\"message\":\"n\",\"tags\":{\"n\":5}}\n"));
        assertThat(nd.paths()).containsExactly("[0]", "[1]");
        assertThat(nd.entries().get(1).tags()).containsEntry("n", "5");
    }

    @Test
    void malformedJsonIsAClearError() {
        assertThatThrownBy(() -> json(("{\"source\": ")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
        assertThatThrownBy(() -> ndjson(("{\"source\":\"s\",\"message\":\"m\"}\nnot json\n")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.getMessage()).contains("line 2"));
    }

    @Test
    void aNonObjectOrAWrongTypeNamesTheEntry() {
        assertThatThrownBy(() -> json(("[{\"source\":\"s\",\"message\":\"m\"}, 5]")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("[1]"));
        assertThatThrownBy(() -> json(("[{\"source\":\"s\",\"message\":\"m\",\"tags\":\"oops\"}]")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("[0].tags"));
    }

    @Test
    void scalarsAreTakenAsTextAndOtherFieldsAreIgnored() {
        var parsed = json(("{\"timestamp\":1764150000000,\"source\":\"s\",\"extra\":{\"a\":[1,2]},"
                + "\"tags\":{\"ok\":true,\"n\":1.5,\"none\":null},\"message\":\"m\"}"));
        var entry = parsed.entries().get(0);
        assertThat(entry.timestamp()).isEqualTo("1764150000000");
        assertThat(entry.tags()).containsEntry("ok", "true").containsEntry("n", "1.5").containsEntry("none", null);
        assertThat(entry.message()).isEqualTo("m");
    }

    @Test
    void nestedValuesWhereTextBelongsAndTrailingContentAreRefused() {
        assertThatThrownBy(() -> ndjson(("{\"source\":{\"x\":1},\"message\":\"m\"}\n")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("[0].source"));
        assertThatThrownBy(() -> json(("{\"source\":\"s\",\"message\":\"m\",\"tags\":{\"k\":[1]}}")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("tags"));
        assertThatThrownBy(() -> json(("{\"source\":\"s\",\"message\":\"m\"} {}")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
        assertThatThrownBy(() -> json(("  ")))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
    }

    @Test
    void entriesThatRepeatASourceOrATagSetShareOneInstance() {
        var parsed = ndjson(("""
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

    @Test
    void anEntryMaySpanChunksAndSkippedFieldsMayNest() {
        var parsed = json("[{\"extra\":[{\"a\":[1,{\"b\":{}}]},[]],\"source\":\"s\",\"message\":\"héllo wörld\"},"
                + "{\"source\":\"t\",\"tags\":{},\"message\":\"m\",\"x\":{\"y\":null}}]");
        assertThat(parsed.entries()).extracting(e -> e.message()).containsExactly("héllo wörld", "m");
        assertThat(parsed.entries().get(1).tags()).isEmpty();
    }

    @Test
    void aBodyThatEndsEarlyIsMalformedAndAnEmptyNdjsonBodyHasNoEntries() {
        assertThatThrownBy(() -> json("[{\"source\":\"s\",\"message\":\"m\"}"))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
        assertThatThrownBy(() -> ndjson("{\"source\":\"s\",\"message\":\"m\"}\n{\"source\""))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
        assertThat(ndjson("\n\n").entries()).isEmpty();
    }

    @Test
    void deepNestingAndHugeNumbersAreMalformedNotACrash() {
        String deep = "{\"source\":\"s\",\"message\":\"m\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertThatThrownBy(() -> json(deep))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
        String huge = "{\"source\":\"s\",\"message\":\"m\",\"x\":" + "9".repeat(5000) + "}";
        assertThatThrownBy(() -> json(huge))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
    }

    @Test
    void invalidUtf8IsMalformed() {
        EntryStream stream = parser.open(true);
        byte[] bad = {'{', '"', 's', 'o', 'u', 'r', 'c', 'e', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}', '\n'};
        assertThatThrownBy(() -> {
            stream.feed(ByteBuffer.wrap(bad));
            stream.finish();
        }).isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_JSON));
    }

    /**
     * A million NDJSON lines (~40 MB), generated and fed 64 KiB at a time: the stream holds the
     * entries, never the body, and reads every one.
     */
    @Test
    void aMillionLinesAreReadAsTheyArrive() {
        int lines = 1_000_000;
        EntryStream stream = parser.open(true);
        StringBuilder chunk = new StringBuilder(70_000);
        for (int i = 0; i < lines; i++) {
            chunk.append("{\"source\":\"web-").append(i % 7).append("\",\"message\":\"line ").append(i).append("\"}\n");
            if (chunk.length() > 64 * 1024 || i == lines - 1) {
                stream.feed(ByteBuffer.wrap(chunk.toString().getBytes(StandardCharsets.UTF_8)));
                chunk.setLength(0);
            }
        }
        var parsed = stream.finish();
        assertThat(parsed.entries()).hasSize(lines);
        assertThat(parsed.entries().get(999_999).message()).isEqualTo("line 999999");
        assertThat(parsed.entries().get(500_001).source()).isEqualTo("web-5");
        assertThat(parsed.paths().get(999_999)).isEqualTo("[999999]");
    }
}
