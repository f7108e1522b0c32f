package io.timberdb.ingest.otlp;

import static io.timberdb.ingest.otlp.OtlpLogsController.PATH;
import static io.timberdb.ingest.otlp.OtlpLogsController.PROTOBUF;
import static io.timberdb.ingest.otlp.OtlpRequests.array;
import static io.timberdb.ingest.otlp.OtlpRequests.bool;
import static io.timberdb.ingest.otlp.OtlpRequests.bytes;
import static io.timberdb.ingest.otlp.OtlpRequests.dbl;
import static io.timberdb.ingest.otlp.OtlpRequests.integer;
import static io.timberdb.ingest.otlp.OtlpRequests.keyValue;
import static io.timberdb.ingest.otlp.OtlpRequests.kvlist;
import static io.timberdb.ingest.otlp.OtlpRequests.record;
import static io.timberdb.ingest.otlp.OtlpRequests.request;
import static io.timberdb.ingest.otlp.OtlpRequests.resource;
import static io.timberdb.ingest.otlp.OtlpRequests.resourceLogs;
import static io.timberdb.ingest.otlp.OtlpRequests.scopeLogs;
import static io.timberdb.ingest.otlp.OtlpRequests.string;
import static io.timberdb.ingest.push.PushFixture.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.ingest.push.Encodings;
import io.timberdb.ingest.push.PushFixture;
import io.timberdb.model.api.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;

class OtlpLogsControllerTest {

    static final long T0 = 1_764_153_000_123_456_789L;
    static final byte[] TRACE = HexFormat.of().parseHex("5B8EFFF798038103D269B633813FC60C");
    static final byte[] SPAN = HexFormat.of().parseHex("EEE19B7EC3C1B174");

    final OtlpFixture store = new OtlpFixture();

    WebTestClient.ResponseSpec protobuf(byte[] body) {
        return store.http.post().uri(PATH).contentType(PROTOBUF).bodyValue(body).exchange();
    }

    WebTestClient.ResponseSpec json(String body, String... headers) {
        var request = store.http.post().uri(PATH).contentType(MediaType.APPLICATION_JSON);
        for (int i = 0; i < headers.length; i += 2) {
            request = request.header(headers[i], headers[i + 1]);
        }
        return request.bodyValue(body).exchange();
    }

    static byte[] twoResources() {
        return request(
                resourceLogs(resource(keyValue("service.name", string("checkout")), keyValue("host.name", string("web-1")),
                                keyValue("deployment.environment", string("prod"))),
                        scopeLogs("io.example.Checkout", "1.2.0",
                                record(T0, 0, 9, null, string("order placed"), TRACE, SPAN,
                                        keyValue("order.id", integer(42)), keyValue("host.name", string("pod-7"))),
                                record(T0 + 1, 0, 17, "ERROR", kvlist(keyValue("event", string("payment failed")),
                                        keyValue("retry", bool(true))), null, null,
                                        keyValue("ratio", dbl(0.25)), keyValue("flags", array(string("a"), integer(1), bool(false))),
                                        keyValue("http", kvlist(keyValue("method", string("POST")),
                                                keyValue("status", integer(502)))),
                                        keyValue("raw", bytes(new byte[] {1, 2, 3})))),
                        scopeLogs("io.example.Jobs", "",
                                record(0, T0 + 2, 3, null, array(string("x"), dbl(1.5)), new byte[0], new byte[0]))),
                resourceLogs(resource(keyValue("host.name", string("db-1")), keyValue("timberdb.partition", string("audit"))),
                        scopeLogs("", "", record(T0 + 3, 0, 24, null, bytes(new byte[] {(byte) 0xff}), null, null),
                                record(0, 0, 0, null, null, null, null))));
    }

    @Test
    void aProtobufExportMapsResourcesScopesAttributesBodiesSeverityAndTraceIds() {
        protobuf(twoResources()).expectStatus().isOk().expectHeader().contentType(PROTOBUF).expectBody().isEmpty();

        List<LogEntry> otel = store.in(OtlpFixture.OTEL);
        assertThat(otel).hasSize(3);
        LogEntry placed = otel.get(0);
        assertThat(placed.timestamp()).isEqualTo(Instant.ofEpochSecond(1_764_153_000L, 123_456_789));
        assertThat(placed.source()).isEqualTo("checkout");
        assertThat(placed.message()).isEqualTo("order placed");
        assertThat(placed.tags()).containsEntry("service.name", "checkout").containsEntry("deployment.environment", "prod")
                .containsEntry("host.name", "pod-7") // the record's attribute wins over the resource's
                .containsEntry("otel.scope.name", "io.example.Checkout").containsEntry("otel.scope.version", "1.2.0")
                .containsEntry("order.id", "42").containsEntry("level", "info")
                .containsEntry("trace_id", "5b8efff798038103d269b633813fc60c").containsEntry("span_id", "eee19b7ec3c1b174")
                .doesNotContainKey("ignored");

        LogEntry failed = otel.get(1);
        assertThat(failed.message()).isEqualTo("{\"event\":\"payment failed\",\"retry\":true}");
        assertThat(failed.tags()).containsEntry("level", "error").containsEntry("ratio", "0.25")
                .containsEntry("flags", "[\"a\",1,false]").containsEntry("http.method", "POST")
                .containsEntry("http.status", "502").containsEntry("raw", "AQID").containsEntry("host.name", "web-1")
                .doesNotContainKeys("trace_id", "span_id");

        LogEntry job = otel.get(2);
        assertThat(job.timestamp()).as("observed time when there is no time").isEqualTo(
                Instant.ofEpochSecond(1_764_153_000L, 123_456_791));
        assertThat(job.message()).isEqualTo("[\"x\",1.5]");
        assertThat(job.tags()).containsEntry("level", "trace").containsEntry("otel.scope.name", "io.example.Jobs")
                .doesNotContainKeys("otel.scope.version", "trace_id", "span_id");

        List<LogEntry> audit = store.in(OtlpFixture.AUDIT);
        assertThat(audit).extracting(LogEntry::source).containsOnly("db-1");
        assertThat(audit.get(0).message()).isEqualTo("/w==");
        assertThat(audit.get(0).tags()).containsEntry("level", "fatal").containsEntry("timberdb.partition", "audit")
                .doesNotContainKey("otel.scope.name");
        assertThat(audit.get(1).timestamp()).as("server time").isEqualTo(PushFixture.NOW);
        assertThat(audit.get(1).message()).isEmpty();
        assertThat(audit.get(1).tags()).doesNotContainKey("level");
    }

    @Test
    void severityNumbersMapToLevelsByRange() {
        String[] expected = {null, "trace", "trace", "trace", "trace", "debug", "debug", "debug", "debug", "info", "info",
                "info", "info", "warn", "warn", "warn", "warn", "error", "error", "error", "error", "fatal", "fatal",
                "fatal", "fatal", null};
        for (int n = 0; n < expected.length; n++) {
            OtlpLog log = new OtlpLog("p", null, null, null, 0, 0, n, null, null, java.util.Map.of(), null, null);
            assertThat(LogRecordMapper.level(log)).as("severity %d", n).isEqualTo(expected[n]);
        }
        OtlpLog text = new OtlpLog("p", null, null, null, 0, 0, 9, " Warning ", null, java.util.Map.of(), null, null);
        assertThat(LogRecordMapper.level(text)).isEqualTo("warning");
    }

    @Test
    void aJsonExportMapsAsProtobufDoes() {
        json("""
                {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}},
                                                            {"key":"k8s","value":{"kvlistValue":{"values":[
                                                              {"key":"pod","value":{"stringValue":"p-1"}}]}}}]},
                  "scopeLogs":[{"scope":{"name":"io.example","version":"2"},
                    "logRecords":[{"timeUnixNano":"1764153000123456789","severityNumber":13,
                                   "body":{"stringValue":"slow"},"traceId":"5B8EFFF798038103D269B633813FC60C",
                                   "spanId":"eee19b7ec3c1b174","flags":1,
                                   "attributes":[{"key":"n","value":{"intValue":"9007199254740993"}},
                                                 {"key":"m","value":{"intValue":7}},
                                                 {"key":"d","value":{"doubleValue":"NaN"}},
                                                 {"key":"b","value":{"bytesValue":"AQID"}},
                                                 {"key":"e","value":{}}]},
                                  {"observedTimeUnixNano":1764153000000000000,"severityText":"DEBUG",
                                   "body":{"arrayValue":{"values":[{"intValue":"1"},{"boolValue":true}]}}}]}]}]}
                """).expectStatus().isOk().expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().json("{}");

        List<LogEntry> stored = store.in(OtlpFixture.OTEL);
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(1_764_153_000L, 123_456_789));
        assertThat(stored.get(0).source()).isEqualTo("checkout");
        assertThat(stored.get(0).message()).isEqualTo("slow");
        assertThat(stored.get(0).tags()).containsEntry("k8s.pod", "p-1").containsEntry("otel.scope.name", "io.example")
                .containsEntry("level", "warn").containsEntry("trace_id", "5b8efff798038103d269b633813fc60c")
                .containsEntry("span_id", "eee19b7ec3c1b174").containsEntry("n", "9007199254740993")
                .containsEntry("m", "7").containsEntry("d", "NaN").containsEntry("b", "AQID").doesNotContainKey("e");
        assertThat(stored.get(1).timestamp()).isEqualTo(Instant.ofEpochSecond(1_764_153_000L));
        assertThat(stored.get(1).message()).isEqualTo("[1,true]");
        assertThat(stored.get(1).tags()).containsEntry("level", "debug");
    }

    @Test
    void thePartitionComesFromTheResourceAttributeElseTheHeaderElseTheDefault() {
        String body = """
                {"resourceLogs":[
                  {"resource":{"attributes":[{"key":"timberdb.partition","value":{"stringValue":"audit"}}]},
                   "scopeLogs":[{"logRecords":[{"body":{"stringValue":"to audit"}}]}]},
                  {"scopeLogs":[{"logRecords":[{"body":{"stringValue":"to the header's or default"}}]}]}]}
                """;
        json(body, "X-TimberDB-Partition", "from-header").expectStatus().isOk();
        json(body).expectStatus().isOk();
        assertThat(store.in(OtlpFixture.AUDIT)).extracting(LogEntry::message).containsExactly("to audit", "to audit");
        assertThat(store.in(OtlpFixture.AUDIT)).extracting(LogEntry::source).containsOnly("otel");
        assertThat(store.in(OtlpFixture.FROM_HEADER)).extracting(LogEntry::message).containsExactly("to the header's or default");
        assertThat(store.in(OtlpFixture.OTEL)).extracting(LogEntry::message).containsExactly("to the header's or default");
    }

    @Test
    void anUnknownPartitionRefusesTheRequestBeforeAnyPartitionIsWritten() {
        problem(json("""
                {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"to otel"}}]}]},
                  {"resource":{"attributes":[{"key":"timberdb.partition","value":{"stringValue":"nope"}}]},
                   "scopeLogs":[{"logRecords":[{"body":{"stringValue":"to nowhere"}}]}]}]}
                """), 404, "PARTITION_NOT_FOUND", null);
        assertThat(store.total()).isZero();
    }

    @Test
    void aPartlyBadProtobufRequestIsRefusedWholeAndStoresNothing() {
        byte[] ok = record(T0, 0, 9, null, string("ok"), null, null);
        problem(protobuf(request(resourceLogs(resource(keyValue("timberdb.partition", string("audit"))),
                        scopeLogs("s", "1", ok)),
                resourceLogs(resource(), scopeLogs("s", "1", ok), scopeLogs("s", "1", ok, ok, ok,
                        record(-1L, 0, 9, null, string("far"), null, null))))),
                400, "INVALID_FIELD", "resourceLogs[1].scopeLogs[1].logRecords[3].timeUnixNano");
        problem(protobuf(request(resourceLogs(resource(), scopeLogs("s", "1", ok,
                record(T0, 0, 9, null, string("x"), new byte[3], null))))),
                400, "INVALID_FIELD", "resourceLogs[0].scopeLogs[0].logRecords[1].traceId");
        problem(protobuf(request(resourceLogs(resource(keyValue(" ", string("x"))), scopeLogs("s", "1", ok)))),
                400, "INVALID_FIELD", "resourceLogs[0].resource.attributes[0].key");
        byte[] deep = string("leaf");
        for (int i = 0; i < 40; i++) {
            deep = array(deep);
        }
        problem(protobuf(request(resourceLogs(resource(), scopeLogs("s", "1", record(T0, 0, 9, null, deep, null, null))))),
                400, "INVALID_FIELD", null);
        byte[] badUtf8 = request(resourceLogs(resource(), scopeLogs("s", "1", record(T0, 0, 9, null, string("AB"), null, null))));
        int at = indexOf(badUtf8, "AB".getBytes(StandardCharsets.UTF_8));
        badUtf8[at] = (byte) 0xC3;
        badUtf8[at + 1] = (byte) 0x28;
        problem(protobuf(badUtf8), 400, "MALFORMED_PROTOBUF", "resourceLogs[0].scopeLogs[0].logRecords[0].body.stringValue");
        byte[] valid = twoResources();
        problem(protobuf(java.util.Arrays.copyOf(valid, valid.length - 3)), 400, "MALFORMED_PROTOBUF", "resourceLogs[1]");
        assertThat(store.total()).isZero();
    }

    @Test
    void aPartlyBadJsonRequestIsRefusedWholeAndStoresNothing() {
        problem(json("""
                {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"ok"}}]},
                  {"logRecords":[{"body":{"stringValue":"ok"}},{"timeUnixNano":"soon"}]}]}]}
                """), 400, "INVALID_FIELD", "resourceLogs[0].scopeLogs[1].logRecords[1].timeUnixNano");
        problem(json("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":\"xyz\"}]}]}]}"),
                400, "INVALID_FIELD", "resourceLogs[0].scopeLogs[0].logRecords[0].traceId");
        problem(json("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"severityNumber\":\"INFO\"}]}]}]}"),
                400, "INVALID_FIELD", "resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber");
        problem(json("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"attributes\":[{\"value\":{\"intValue\":1}}]}]}]}]}"),
                400, "INVALID_FIELD", "resourceLogs[0].scopeLogs[0].logRecords[0].attributes[0].key");
        problem(json("{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\""
                + "s".repeat(300) + "\"}}]},\"scopeLogs\":[{\"logRecords\":[{}]}]}]}"),
                400, "INVALID_FIELD", "resourceLogs[0].resource.attributes.service.name");
        problem(json("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{}]}]}"), 400, "MALFORMED_JSON", null);
        problem(json("[]"), 400, "INVALID_FIELD", "$");
        assertThat(store.total()).isZero();
    }

    @Test
    void gzipLimitsBusyAndContentTypesAreTheLokiRoutes() {
        store.http.post().uri(PATH).contentType(PROTOBUF).header(HttpHeaders.CONTENT_ENCODING, "gzip")
                .bodyValue(Encodings.gzip(twoResources())).exchange().expectStatus().isOk();
        assertThat(store.total()).isEqualTo(5);
        problem(store.http.post().uri(PATH).contentType(PROTOBUF).header(HttpHeaders.CONTENT_ENCODING, "gzip")
                .bodyValue(new byte[] {1, 2, 3}).exchange(), 400, "MALFORMED_COMPRESSION", null);
        problem(store.http.post().uri(PATH).contentType(MediaType.TEXT_PLAIN).bodyValue("x").exchange(),
                415, "UNSUPPORTED_MEDIA_TYPE", null);
        json("{}").expectStatus().isOk();
        protobuf(new byte[0]).expectStatus().isOk();

        OtlpFixture small = new OtlpFixture(new OtlpProperties("timberdb.partition", "X-TimberDB-Partition", "otel",
                DataSize.ofBytes(100), DataSize.ofKilobytes(1), 1));
        problem(small.http.post().uri(PATH).contentType(PROTOBUF).bodyValue(twoResources()).exchange(),
                413, "PAYLOAD_TOO_LARGE", null);

        store.busy = true;
        store.http.post().uri(PATH).contentType(PROTOBUF).bodyValue(twoResources()).exchange()
                .expectStatus().isEqualTo(429).expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectBody().jsonPath("$.code").isEqualTo("TOO_MANY_REQUESTS");
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
