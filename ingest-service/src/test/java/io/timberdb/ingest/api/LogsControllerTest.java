package io.timberdb.ingest.api;

import static io.timberdb.ingest.api.NativeFixture.APP;
import static io.timberdb.ingest.api.NativeFixture.NDJSON;
import static io.timberdb.ingest.api.NativeFixture.PATH;
import static io.timberdb.ingest.push.PushFixture.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.ingest.push.Encodings;
import io.timberdb.model.api.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;

/** The native write API's body handling: streaming, encodings, limits and timestamps. */
class LogsControllerTest {

    final NativeFixture store = new NativeFixture();

    static byte[] lines(int count) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < count; i++) {
            body.append("{\"source\":\"web-").append(i % 3).append("\",\"tags\":{\"level\":\"info\"},\"message\":\"line ")
                    .append(i).append("\"}\n");
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    WebTestClient.ResponseSpec post(MediaType type, String encoding, byte[] body) {
        return store.http.post().uri(PATH).contentType(type)
                .headers(h -> {
                    if (encoding != null) {
                        h.set(HttpHeaders.CONTENT_ENCODING, encoding);
                    }
                }).bodyValue(body).exchange();
    }

    @Test
    void aBodyLargerThanTheCodecsLimitIsStreamedInChunksAndStored() {
        byte[] body = lines(5_000); // ~330 KB, five times the fixture's codec limit
        List<DataBuffer> chunks = new ArrayList<>();
        for (int at = 0; at < body.length; at += 1000) {
            chunks.add(DefaultDataBufferFactory.sharedInstance.wrap(
                    java.util.Arrays.copyOfRange(body, at, Math.min(body.length, at + 1000))));
        }
        store.http.post().uri(PATH).contentType(MediaType.parseMediaType(NDJSON))
                .body(Flux.fromIterable(chunks), DataBuffer.class).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.accepted").isEqualTo(5_000);
        assertThat(store.in(APP)).hasSize(5_000);
        assertThat(store.in(APP)).extracting(LogEntry::message).contains("line 0", "line 4999");
    }

    @Test
    void gzipAndZstdBodiesAreDecodedAsTheyArrive() {
        post(MediaType.parseMediaType(NDJSON), "gzip", Encodings.gzip(lines(1000))).expectStatus().isOk()
                .expectBody().jsonPath("$.accepted").isEqualTo(1000);
        post(MediaType.APPLICATION_JSON, "zstd", Encodings.zstd(
                "[{\"source\":\"s\",\"message\":\"zstd\"}]".getBytes(StandardCharsets.UTF_8))).expectStatus().isOk();
        post(MediaType.APPLICATION_JSON, "identity", "{\"source\":\"s\",\"message\":\"plain\"}".getBytes(StandardCharsets.UTF_8))
                .expectStatus().isOk();
        assertThat(store.total()).isEqualTo(1002);
    }

    @Test
    void unknownOrBrokenEncodingsAreRefusedAndStoreNothing() {
        byte[] ndjson = lines(10);
        problem(post(MediaType.parseMediaType(NDJSON), "br", ndjson), 415, "UNSUPPORTED_CONTENT_ENCODING", null);
        problem(post(MediaType.parseMediaType(NDJSON), "gzip", ndjson), 400, "MALFORMED_COMPRESSION", null);
        byte[] zst = Encodings.zstd(ndjson);
        problem(post(MediaType.parseMediaType(NDJSON), "zstd", java.util.Arrays.copyOf(zst, zst.length - 2)),
                400, "MALFORMED_COMPRESSION", null);
        assertThat(store.total()).isZero();
    }

    @Test
    void beyondTheMaximumSizeAsSentOrDecodedIs413() {
        NativeFixture small = new NativeFixture(new NativeApiProperties(DataSize.ofKilobytes(4), 4));
        byte[] body = lines(200); // ~13 KB: over 4 KiB as sent, and once gunzipped
        problem(small.http.post().uri(PATH).contentType(MediaType.parseMediaType(NDJSON)).bodyValue(body).exchange(),
                413, "PAYLOAD_TOO_LARGE", null);
        // no Content-Length: the limit is enforced on the bytes as they arrive
        problem(small.http.post().uri(PATH).contentType(MediaType.parseMediaType(NDJSON))
                .body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)), DataBuffer.class).exchange(),
                413, "PAYLOAD_TOO_LARGE", null);
        byte[] bomb = Encodings.gzip(("{\"source\":\"s\",\"message\":\"" + "a".repeat(100_000) + "\"}\n").getBytes(StandardCharsets.UTF_8));
        assertThat(bomb.length).isLessThan(4096);
        problem(small.http.post().uri(PATH).contentType(MediaType.parseMediaType(NDJSON))
                .header(HttpHeaders.CONTENT_ENCODING, "gzip").bodyValue(bomb).exchange(), 413, "PAYLOAD_TOO_LARGE", null);
        assertThat(small.total()).isZero();
    }

    @Test
    void onePartlyBadBatchStoresNothingAndNamesTheField() {
        problem(post(MediaType.parseMediaType(NDJSON), "gzip", Encodings.gzip("""
                {"source":"s","message":"ok"}
                {"source":"s","message":"ok","timestamp":-5}
                """.getBytes(StandardCharsets.UTF_8))), 400, "INVALID_FIELD", "[1].timestamp");
        problem(post(MediaType.APPLICATION_JSON, null, """
                [{"source":"s","message":"ok"},{"source":"s","tags":{"k":{"nested":1}},"message":"m"}]
                """.getBytes(StandardCharsets.UTF_8)), 400, "INVALID_FIELD", "[1].tags");
        problem(post(MediaType.APPLICATION_JSON, null, "[{\"source\":\"s\",\"message\":\"ok\"}".getBytes(StandardCharsets.UTF_8)),
                400, "MALFORMED_JSON", null);
        assertThat(store.total()).isZero();
    }

    @Test
    void timestampsAreRfc3339ToTheNanosecondOrEpochNumbersOfAnyUnit() {
        post(MediaType.parseMediaType(NDJSON), null, """
                {"source":"s","message":"rfc","timestamp":"2025-11-26T09:40:00.123456789Z"}
                {"source":"s","message":"s","timestamp":1764150000}
                {"source":"s","message":"ms","timestamp":1764150000123}
                {"source":"s","message":"us","timestamp":"1764150000123456"}
                {"source":"s","message":"ns","timestamp":1764150000123456789}
                {"source":"s","message":"frac","timestamp":1764150000.5}
                """.getBytes(StandardCharsets.UTF_8)).expectStatus().isOk();
        assertThat(store.in(APP)).extracting(LogEntry::message, LogEntry::timestamp).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("rfc", Instant.parse("2025-11-26T09:40:00.123456789Z")),
                org.assertj.core.groups.Tuple.tuple("s", Instant.ofEpochSecond(1_764_150_000L)),
                org.assertj.core.groups.Tuple.tuple("ms", Instant.ofEpochMilli(1_764_150_000_123L)),
                org.assertj.core.groups.Tuple.tuple("us", Instant.ofEpochSecond(1_764_150_000L, 123_456_000)),
                org.assertj.core.groups.Tuple.tuple("ns", Instant.ofEpochSecond(1_764_150_000L, 123_456_789)),
                org.assertj.core.groups.Tuple.tuple("frac", Instant.ofEpochSecond(1_764_150_000L, 500_000_000)));
        problem(post(MediaType.APPLICATION_JSON, null,
                "{\"source\":\"s\",\"message\":\"m\",\"timestamp\":1e30}".getBytes(StandardCharsets.UTF_8)),
                400, "INVALID_FIELD", "timestamp");
    }

    @Test
    void aBusyStoreIsStill503WithRetryAfter() {
        store.busy = true;
        post(MediaType.APPLICATION_JSON, null, "{\"source\":\"s\",\"message\":\"m\"}".getBytes(StandardCharsets.UTF_8))
                .expectStatus().isEqualTo(503).expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
    }
}
