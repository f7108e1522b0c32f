package io.timberdb.ingest.api;

import static io.timberdb.ingest.api.NativeFixture.NDJSON;
import static io.timberdb.ingest.api.NativeFixture.PATH;

import io.timberdb.ingest.push.BodyMutations;
import io.timberdb.ingest.push.Encodings;
import io.timberdb.ingest.push.PushFixture;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.http.MediaType;

/**
 * Malformed bodies for the native write API: random mutations and truncations of valid JSON,
 * NDJSON, gzip and zstd bodies, and hostile ones (nesting 10,000 deep, numbers of thousands of
 * digits, values of the wrong type, invalid UTF-8). The API never answers 500, only 200 or a
 * 4xx, and a 4xx stores nothing.
 */
class LogsFuzzTest {

    static final byte[] JSON = """
            [{"timestamp":"2026-11-26T10:30:00.123456789Z","source":"web-1","tags":{"level":"info","n":3},"message":"one"},
             {"timestamp":1764150000123,"source":"web-2","extra":{"a":[1,{"b":null}]},"message":"two"}]
            """.getBytes(StandardCharsets.UTF_8);
    static final byte[] LINES = """
            {"timestamp":1764150000,"source":"web-1","tags":{"level":"info"},"message":"one"}
            {"source":"web-2","tags":{"level":"warn","ok":true},"message":"two"}
            {"timestamp":"1764150000123456789","source":"web-1","message":"three"}
            """.getBytes(StandardCharsets.UTF_8);
    static final MediaType NDJSON_TYPE = MediaType.parseMediaType(NDJSON);

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void mutatedJsonBodiesNeverFail(@ForAll("json") byte[] body) {
        check(MediaType.APPLICATION_JSON, null, body);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void mutatedNdjsonBodiesNeverFail(@ForAll("lines") byte[] body) {
        check(NDJSON_TYPE, null, body);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void mutatedGzipBodiesNeverFail(@ForAll("gzip") byte[] body) {
        check(NDJSON_TYPE, "gzip", body);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void mutatedZstdBodiesNeverFail(@ForAll("zstd") byte[] body) {
        check(NDJSON_TYPE, "zstd", body);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void gzippedMutatedNdjsonNeverFails(@ForAll("lines") byte[] body) {
        check(NDJSON_TYPE, "gzip", Encodings.gzip(body));
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void hostileEntriesNeverFail(@ForAll("hostile") byte[] body, @ForAll boolean ndjson) {
        check(ndjson ? NDJSON_TYPE : MediaType.APPLICATION_JSON, null, body);
    }

    private static void check(MediaType type, String encoding, byte[] body) {
        PushFixture.postNeverFails(NativeFixture::new, PATH, type, encoding, body, 200);
    }

    @Provide
    Arbitrary<byte[]> json() {
        return BodyMutations.of(JSON);
    }

    @Provide
    Arbitrary<byte[]> lines() {
        return BodyMutations.of(LINES);
    }

    @Provide
    Arbitrary<byte[]> gzip() {
        return BodyMutations.of(Encodings.gzip(LINES));
    }

    @Provide
    Arbitrary<byte[]> zstd() {
        return BodyMutations.of(Encodings.zstd(LINES));
    }

    /** An entry with one hostile value in one of its fields, or a hostile body. */
    @Provide
    Arbitrary<byte[]> hostile() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 12_000).map(depth -> "[".repeat(depth) + "]".repeat(depth)),
                Arbitraries.integers().between(1, 12_000).map(depth -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)),
                Arbitraries.integers().between(1, 3_000).map(n -> "9".repeat(n)),
                Arbitraries.integers().between(1, 3_000).map(n -> "-1." + "5".repeat(n) + "e" + n),
                Arbitraries.of("1e309", "-1", "NaN", "Infinity", "true", "null", "{}", "[]", "[1,2]", "\"\"", "\"   \"",
                        "\"2026-02-30T00:00:00Z\"", "\"\\ud800\"", "\"\\u0000\"", "1e-400", "9223372036854775808"),
                Arbitraries.strings().ofMaxLength(40).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
        Arbitrary<String> field = Arbitraries.of("timestamp", "source", "message", "tags", "other");
        Arbitrary<byte[]> entry = Combinators.combine(field, value).as((name, v) ->
                ("{\"source\":\"s\",\"message\":\"m\",\"" + name + "\":" + v + "}\n").getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> tag = value.map(v -> ("{\"source\":\"s\",\"message\":\"m\",\"tags\":{\"k\":" + v + "}}")
                .getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> invalidUtf8 = Arbitraries.bytes().between((byte) 0x80, (byte) 0xff).array(byte[].class)
                .ofMinSize(1).ofMaxSize(4).map(LogsFuzzTest::inMessage);
        Arbitrary<byte[]> deepRoot = Arbitraries.integers().between(1, 12_000)
                .map(depth -> ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(entry, tag, invalidUtf8, deepRoot);
    }

    /** An entry whose message holds {@code raw} bytes as they are: mostly invalid UTF-8. */
    private static byte[] inMessage(byte[] raw) {
        byte[] head = "{\"source\":\"s\",\"message\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + raw.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(raw, 0, body, head.length, raw.length);
        System.arraycopy(tail, 0, body, head.length + raw.length, tail.length);
        return body;
    }
}
