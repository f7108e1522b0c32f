package io.timberdb.ingest.loki;

import static io.timberdb.ingest.loki.LokiPushController.PATH;
import static io.timberdb.ingest.loki.LokiPushController.PROTOBUF;
import static io.timberdb.ingest.push.PushFixture.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.ingest.loki.LokiPushes.Entry;
import io.timberdb.ingest.loki.LokiPushes.Stream;
import io.timberdb.ingest.push.Encodings;
import io.timberdb.model.api.LogEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import org.xerial.snappy.Snappy;
import reactor.core.publisher.Flux;

class LokiPushControllerTest {

    final LokiFixture store = new LokiFixture();

    WebTestClient.ResponseSpec json(String body, String... headers) {
        var request = store.http.post().uri(PATH).contentType(MediaType.APPLICATION_JSON);
        for (int i = 0; i < headers.length; i += 2) {
            request = request.header(headers[i], headers[i + 1]);
        }
        return request.bodyValue(body).exchange();
    }

    WebTestClient.ResponseSpec protobuf(byte[] body) {
        return store.http.post().uri(PATH).contentType(PROTOBUF).bodyValue(body).exchange();
    }

    @Test
    void jsonPushMapsLabelsMetadataAndNanosecondTimestamps() {
        json("""
                {"streams":[{"stream":{"job":"api","host":"web-1","level":"info"},
                  "values":[["1764153000123456789","hello"],
                            ["1764153000223456789","with metadata",{"trace_id":"abc","host":"web-2"}]]}]}
                """).expectStatus().isNoContent().expectBody().isEmpty();

        List<LogEntry> stored = store.in(LokiFixture.LOKI);
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(1_764_153_000L, 123_456_789));
        assertThat(stored.get(0).source()).isEqualTo("web-1");
        assertThat(stored.get(0).message()).isEqualTo("hello");
        assertThat(stored.get(0).tags()).containsExactly(Map.entry("host", "web-1"), Map.entry("job", "api"),
                Map.entry("level", "info"));
        assertThat(stored.get(1).timestamp()).isEqualTo(Instant.ofEpochSecond(1_764_153_000L, 223_456_789));
        assertThat(stored.get(1).source()).as("structured metadata replaces the label for its entry").isEqualTo("web-2");
        assertThat(stored.get(1).tags()).containsEntry("trace_id", "abc").containsEntry("job", "api")
                .containsEntry("host", "web-2");
    }

    @Test
    void theSourceIsTheFirstConfiguredLabelSetElseLoki() {
        json("""
                {"streams":[{"stream":{"job":"batch","instance":"10.0.0.1:9100"},"values":[["1","a"]]},
                            {"stream":{"job":"batch","hostname":"db-1"},"values":[["2","b"]]},
                            {"stream":{"job":"cron","host":""},"values":[["3","c"]]},
                            {"stream":{"level":"warn"},"values":[["4","d"]]}]}
                """).expectStatus().isNoContent();
        assertThat(store.in(LokiFixture.LOKI)).extracting(LogEntry::source)
                .containsExactly("10.0.0.1:9100", "db-1", "cron", "loki");
    }

    @Test
    void thePartitionComesFromTheLabelElseTheHeaderElseTheDefault() {
        String body = """
                {"streams":[{"stream":{"job":"a","partition":"audit"},"values":[["1","to audit"]]},
                            {"stream":{"job":"b"},"values":[["2","to the header's or default"]]}]}
                """;
        json(body, "X-TimberDB-Partition", "from-header").expectStatus().isNoContent();
        json(body).expectStatus().isNoContent();

        assertThat(store.in(LokiFixture.AUDIT)).extracting(LogEntry::message).containsExactly("to audit", "to audit");
        assertThat(store.in(LokiFixture.AUDIT).get(0).tags()).containsEntry("partition", "audit");
        assertThat(store.in(LokiFixture.FROM_HEADER)).extracting(LogEntry::message).containsExactly("to the header's or default");
        assertThat(store.in(LokiFixture.LOKI)).extracting(LogEntry::message).containsExactly("to the header's or default");
    }

    @Test
    void theScopeOrgIdHeaderBecomesTheTenantTag() {
        json("{\"streams\":[{\"stream\":{\"job\":\"a\",\"tenant\":\"spoofed\"},\"values\":[[\"1\",\"x\"]]}]}",
                "X-Scope-OrgID", "team-a").expectStatus().isNoContent();
        assertThat(store.in(LokiFixture.LOKI).get(0).tags()).containsEntry("tenant", "team-a");
    }

    @Test
    void aPromtailLikeProtobufSnappyPushIsStored() {
        byte[] body = LokiPushes.snappy(List.of(
                new Stream("{job=\"varlogs\", host=\"node-1\", filename=\"/var/log/syslog\"}", List.of(
                        new Entry(1_764_153_000L, 1, "Nov 26 10:30:00 node-1 systemd[1]: Started"),
                        new Entry(1_764_153_001L, 500_000_000, "Nov 26 10:30:01 node-1 kernel: eth0 up"),
                        new Entry(1_764_153_002L, 999_999_999, "quoted \"line\" ü 日本", Map.of("trace_id", "t-1")))),
                new Stream("{job=\"app\",level=\"error\",msg=\"a \\\"quoted\\\" \\\\ value\\nnext\",partition=\"audit\"}", List.of(
                        new Entry(1_764_153_003L, 0, "boom"),
                        new Entry(1_764_153_004L, 42, "boom again", Map.of("user", "42", "host", "worker-7"))))));

        protobuf(body).expectStatus().isNoContent();

        List<LogEntry> syslog = store.in(LokiFixture.LOKI);
        assertThat(syslog).extracting(LogEntry::message).containsExactly("Nov 26 10:30:00 node-1 systemd[1]: Started",
                "Nov 26 10:30:01 node-1 kernel: eth0 up", "quoted \"line\" ü 日本");
        assertThat(syslog).extracting(LogEntry::source).containsOnly("node-1");
        assertThat(syslog.get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(1_764_153_000L, 1));
        assertThat(syslog.get(2).timestamp()).isEqualTo(Instant.ofEpochSecond(1_764_153_002L, 999_999_999));
        assertThat(syslog.get(0).tags()).containsExactly(Map.entry("filename", "/var/log/syslog"),
                Map.entry("host", "node-1"), Map.entry("job", "varlogs"));
        assertThat(syslog.get(2).tags()).containsEntry("trace_id", "t-1");

        List<LogEntry> app = store.in(LokiFixture.AUDIT);
        assertThat(app).extracting(LogEntry::message).containsExactlyInAnyOrder("boom", "boom again");
        LogEntry first = app.stream().filter(e -> e.message().equals("boom")).findFirst().orElseThrow();
        assertThat(first.source()).isEqualTo("app");
        assertThat(first.tags()).containsEntry("msg", "a \"quoted\" \\ value\nnext").containsEntry("level", "error");
        LogEntry second = app.stream().filter(e -> e.message().equals("boom again")).findFirst().orElseThrow();
        assertThat(second.source()).isEqualTo("worker-7");
        assertThat(second.timestamp()).isEqualTo(Instant.ofEpochSecond(1_764_153_004L, 42));
    }

    @Test
    void aPartlyBadJsonPushIsRefusedWholeAndStoresNothingInAnyPartition() {
        problem(json("""
                {"streams":[{"stream":{"job":"a","partition":"audit"},"values":[["1","fine"],["2","fine"]]},
                            {"stream":{"job":"b"},"values":[["1","ok"],["2","ok"],["soon","bad"]]}]}
                """), 400, "INVALID_FIELD", "streams[1].values[2][0]");
        problem(json("{\"streams\":[{\"stream\":{\"job\":\"a\"},\"values\":[[\"1\",\"ok\"],[\"2\",null]]}]}"),
                400, "INVALID_FIELD", "streams[0].values[1][1]");
        problem(json("{\"streams\":[{\"stream\":{\"job\":\"a\",\"bad-name\":\"x\"},\"values\":[[\"1\",\"ok\"]]}]}"),
                400, "INVALID_FIELD", "streams[0].stream.bad-name");
        problem(json("{\"streams\":[{\"values\":[[\"1\",\"ok\"]]}]}"), 400, "MISSING_FIELD", "streams[0].stream");
        problem(json("{\"streams\":[{\"stream\":{\"host\":\"" + "h".repeat(300) + "\"},\"values\":[[\"1\",\"ok\"]]}]}"),
                400, "INVALID_FIELD", "streams[0].stream.host");
        assertThat(store.total()).isZero();
    }

    @Test
    void aPartlyBadProtobufPushIsRefusedWholeAndStoresNothing() {
        List<Entry> ok = List.of(new Entry(1, 0, "ok"));
        problem(protobuf(LokiPushes.snappy(List.of(new Stream("{job=\"a\",partition=\"audit\"}", ok),
                new Stream("{job=\"b\", level=info}", ok)))), 400, "INVALID_FIELD", "streams[1].labels");
        problem(protobuf(LokiPushes.snappy(List.of(new Stream("{job=\"a\"}", List.of(new Entry(1, 0, "ok"),
                new Entry(1, -1, "negative nanos")))))), 400, "INVALID_FIELD", "streams[0].entries[1].timestamp.nanos");
        problem(protobuf(LokiPushes.snappy(List.of(new Stream("{job=\"a\"}", List.of(new Entry(Long.MAX_VALUE, 0, "far")))))),
                400, "INVALID_FIELD", "streams[0].entries[0].timestamp.seconds");
        assertThat(store.total()).isZero();
    }

    @Test
    void anUnknownPartitionRefusesThePushBeforeAnyPartitionIsWritten() {
        problem(json("""
                {"streams":[{"stream":{"job":"a"},"values":[["1","to loki"]]},
                            {"stream":{"job":"b","partition":"nope"},"values":[["2","to nowhere"]]}]}
                """), 404, "PARTITION_NOT_FOUND", null);
        assertThat(store.total()).isZero();
    }

    @Test
    void brokenBodiesAre400WithAStableCodeAndFieldAndStoreNothing() {
        byte[] valid = LokiPushes.pushRequest(List.of(new Stream("{job=\"a\"}", List.of(new Entry(1, 0, "line one"),
                new Entry(2, 0, "line two")))));
        problem(protobuf("not snappy at all".getBytes(StandardCharsets.UTF_8)), 400, "MALFORMED_COMPRESSION", null);
        // the stream's length runs past the end of the body: the stream is the field at fault
        problem(protobuf(compress(Arrays.copyOf(valid, valid.length - 3))), 400, "MALFORMED_PROTOBUF", "streams[0]");

        byte[] badUtf8 = LokiPushes.pushRequest(List.of(new Stream("{job=\"a\"}", List.of(new Entry(1, 0, "AB")))));
        int at = indexOf(badUtf8, "AB".getBytes(StandardCharsets.UTF_8));
        badUtf8[at] = (byte) 0xC3;
        badUtf8[at + 1] = (byte) 0x28;
        problem(protobuf(compress(badUtf8)), 400, "MALFORMED_PROTOBUF", "streams[0].entries[0].line");

        problem(json("[".repeat(5000) + "]".repeat(5000)), 400, "INVALID_FIELD", "$");
        problem(json("{\"streams\":" + "[".repeat(5000) + "]".repeat(5000) + "}"), 400, "INVALID_FIELD", "streams[0]");
        // nesting in a member the parser skips still meets the parser's depth limit
        problem(json("{\"other\":" + "[".repeat(5000) + "]".repeat(5000) + ",\"streams\":[]}"), 400, "MALFORMED_JSON", null);
        problem(json("{\"streams\":[{\"stream\":{\"job\":\"a\"},\"values\":[[\"" + "9".repeat(40) + "\",\"x\"]]}]}"),
                400, "INVALID_FIELD", "streams[0].values[0][0]");
        problem(json("{\"streams\":[{\"stream\":{\"job\":\"a\"},\"values\":[[" + "9".repeat(5000) + ",\"x\"]]}]}"),
                400, "MALFORMED_JSON", null); // past the parser's number length limit
        problem(json("{\"streams\":[{\"stream\":{\"job\":\"a\"},\"values\":[[1e999999,\"x\"]]}]}"),
                400, "INVALID_FIELD", "streams[0].values[0][0]");
        problem(json("{\"streams\":[{\"stream\":{\"job\":\"a\"},\"values\":[[\"1\",\"x\"]"), 400, "MALFORMED_JSON", null);
        problem(store.http.post().uri(PATH).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}).exchange(), 400, "MALFORMED_JSON", null);
        assertThat(store.total()).isZero();
    }

    @Test
    void aSnappyHeaderAnnouncingMoreThanTheMaximumIs413BeforeDecompressing() {
        // a varint of 2^31 - 1: the uncompressed length snappy blocks start with
        byte[] body = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x00};
        problem(protobuf(body), 413, "PAYLOAD_TOO_LARGE", null);
    }

    @Test
    void aBodyOverTheMaximumSizeIs413() {
        LokiProperties small = new LokiProperties("partition", "X-TimberDB-Partition", "loki", List.of("host"),
                DataSize.ofBytes(100), DataSize.ofMegabytes(1), 2);
        LokiFixture limited = new LokiFixture(small);
        String body = "{\"streams\":[{\"stream\":{\"job\":\"a\"},\"values\":[[\"1\",\"" + "x".repeat(200) + "\"]]}]}";
        problem(limited.http.post().uri(PATH).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange(),
                413, "PAYLOAD_TOO_LARGE", null);
        assertThat(limited.total()).isZero();
    }

    @Test
    void aChunkedBodyPastTheCodecsLimitIs413() {
        LokiFixture limited = new LokiFixture(LokiProperties.defaults(), 1024);
        String body = "{\"streams\":[{\"stream\":{\"job\":\"a\"},\"values\":[[\"1\",\"" + "x".repeat(4096) + "\"]]}]}";
        var chunks = Flux.fromArray(body.split("(?<=\\G.{500})"))
                .map(part -> DefaultDataBufferFactory.sharedInstance.wrap(part.getBytes(StandardCharsets.UTF_8)));
        problem(limited.http.post().uri(PATH).contentType(MediaType.APPLICATION_JSON)
                .body(chunks, DataBuffer.class).exchange(), 413, "PAYLOAD_TOO_LARGE", null);
        assertThat(limited.total()).isZero();
    }

    @Test
    void aBusyStoreIsAnswered429WithRetryAfter() {
        store.busy = true;
        json("{\"streams\":[{\"stream\":{\"job\":\"a\"},\"values\":[[\"1\",\"x\"]]}]}")
                .expectStatus().isEqualTo(429).expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectBody().jsonPath("$.code").isEqualTo("TOO_MANY_REQUESTS");
    }

    @Test
    void gzippedJsonAndEmptyPushesAreAccepted() {
        store.http.post().uri(PATH).contentType(MediaType.APPLICATION_JSON).header(HttpHeaders.CONTENT_ENCODING, "gzip")
                .bodyValue(Encodings.gzip("{\"streams\":[{\"stream\":{\"job\":\"a\"},\"values\":[[\"1\",\"zipped\"]]}]}"
                        .getBytes(StandardCharsets.UTF_8))).exchange().expectStatus().isNoContent();
        problem(store.http.post().uri(PATH).contentType(MediaType.APPLICATION_JSON).header(HttpHeaders.CONTENT_ENCODING, "gzip")
                .bodyValue("not gzip").exchange(), 400, "MALFORMED_COMPRESSION", null);
        json("{\"streams\":[]}").expectStatus().isNoContent();
        protobuf(new byte[0]).expectStatus().isNoContent();
        assertThat(store.in(LokiFixture.LOKI)).extracting(LogEntry::message).containsExactly("zipped");
    }

    @Test
    void otherContentTypesAre415() {
        problem(store.http.post().uri(PATH).contentType(MediaType.TEXT_PLAIN).bodyValue("x").exchange(),
                415, "UNSUPPORTED_MEDIA_TYPE", null);
    }

    static byte[] compress(byte[] message) {
        try {
            return Snappy.compress(message);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
