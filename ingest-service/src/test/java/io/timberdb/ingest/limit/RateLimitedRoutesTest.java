package io.timberdb.ingest.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.timberdb.ingest.loki.LokiPushes;
import io.timberdb.model.limit.RateLimitAnswers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.WebFilter;

/**
 * The rate limiter on the real ingest routes of every protocol, as the ingest service wires them.
 * Each test spends the budget of a tenant of its own (named by {@code X-Scope-OrgID}), so that the
 * shared context's buckets do not couple them. Defaults here: 6 requests a minute (one every 10 s)
 * with a burst of 3; 1 KiB of payload a second with a burst of 8 KiB. Tenants {@code roomy*} may
 * send 100 requests at once, {@code starved} and {@code acme} one.
 */
@SpringBootTest(classes = IngestRoutesContext.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = {
        "timberdb.ingest.rate-limit.requests-per-minute=6",
        "timberdb.ingest.rate-limit.burst=3",
        "timberdb.ingest.rate-limit.bytes-per-second=1KB",
        "timberdb.ingest.rate-limit.burst-bytes=8KB",
        "timberdb.ingest.rate-limit.overrides.starved.burst=1",
        "timberdb.ingest.rate-limit.overrides.acme.burst=1",
        "timberdb.ingest.rate-limit.overrides.acme.requests-per-minute=1",
        "timberdb.ingest.rate-limit.overrides.roomy.burst=100",
        "timberdb.ingest.rate-limit.overrides.roomy-gzip.burst=100",
        "timberdb.ingest.rate-limit.overrides.roomy-snappy.burst=100",
        "timberdb.ingest.rate-limit.overrides.preflight.burst=1"})
@AutoConfigureWebTestClient
class RateLimitedRoutesTest {

    static final String TENANT = "X-Scope-OrgID";

    @Autowired
    WebTestClient http;
    @Autowired
    IngestRoutesContext store;
    @Autowired
    IngestRoutesContext.TestClock clock;
    @Autowired
    List<RequestMappingHandlerMapping> mappings;
    @Autowired
    @Qualifier("ingestRateLimit")
    WebFilter filter;
    @Autowired
    MeterRegistry meters;

    /** A protocol's route with a valid request of one entry, and its success status. */
    record Protocol(String name, String path, MediaType type, String body, int success) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Protocol NATIVE = new Protocol("native", "/api/v1/partitions/logs/logs", MediaType.APPLICATION_JSON,
            "{\"source\":\"web-1\",\"message\":\"hello\"}", 200);
    static final Protocol ELASTICSEARCH = new Protocol("elasticsearch", "/logs/_bulk", MediaType.APPLICATION_NDJSON,
            "{\"index\":{}}\n{\"message\":\"hello\",\"host\":\"web-1\"}\n", 200);
    static final Protocol LOKI = new Protocol("loki", "/loki/api/v1/push", MediaType.APPLICATION_JSON,
            "{\"streams\":[{\"stream\":{\"job\":\"api\"},\"values\":[[\"1764153000000000000\",\"hello\"]]}]}", 204);
    static final Protocol OTLP = new Protocol("otlp", "/v1/logs", MediaType.APPLICATION_JSON,
            "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"hello\"}}]}]}]}", 200);

    static Stream<Protocol> protocols() {
        return Stream.of(NATIVE, ELASTICSEARCH, LOKI, OTLP);
    }

    WebTestClient.ResponseSpec send(Protocol protocol, String tenant) {
        return http.post().uri(protocol.path()).contentType(protocol.type()).header(TENANT, tenant)
                .bodyValue(protocol.body()).exchange();
    }

    @ParameterizedTest
    @MethodSource("protocols")
    void aTenantPastItsRequestBurstIsRefused429WithTheRateLimitHeadersAndStoresNothing(Protocol protocol) {
        String tenant = "burst-" + protocol.name();
        for (int sent = 1; sent <= 3; sent++) {
            send(protocol, tenant).expectStatus().isEqualTo(protocol.success())
                    .expectHeader().valueEquals(RateLimitAnswers.LIMIT, "3")
                    .expectHeader().valueEquals(RateLimitAnswers.REMAINING, Integer.toString(3 - sent));
        }
        int stored = store.stored.size();

        send(protocol, tenant).expectStatus().isEqualTo(429)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "10")
                .expectHeader().valueEquals(RateLimitAnswers.LIMIT, "3")
                .expectHeader().valueEquals(RateLimitAnswers.REMAINING, "0")
                .expectHeader().valueEquals(RateLimitAnswers.RESET, "30")
                .expectHeader().contentType(protocol == ELASTICSEARCH ? MediaType.APPLICATION_JSON
                        : MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(429)
                .jsonPath(problem(protocol) + "code").isEqualTo("RATE_LIMITED")
                .jsonPath(problem(protocol) + "tenant").isEqualTo(tenant)
                .jsonPath(problem(protocol) + "limit").isEqualTo("requests")
                .jsonPath(problem(protocol) + "retry_after_seconds").isEqualTo(10);
        assertThat(store.stored).as("entries stored by a refused request").hasSize(stored);

        clock.advance(Duration.ofSeconds(10));
        send(protocol, tenant).expectStatus().isEqualTo(protocol.success())
                .expectHeader().valueEquals(RateLimitAnswers.REMAINING, "0");
        assertThat(store.stored).hasSize(stored + 1);
    }

    /**
     * Where a refusal's problem members are: at the top of the problem detail, or inside
     * Elasticsearch's {@code error} object on the bulk routes.
     */
    static String problem(Protocol protocol) {
        return problem(protocol.path());
    }

    static String problem(String path) {
        return path.endsWith("/_bulk") ? "$.error." : "$.";
    }

    @Test
    void theElasticsearchRefusalIsElasticsearchsOwnRejectionWithTheProductHeader() {
        for (int i = 0; i < 3; i++) {
            send(ELASTICSEARCH, "es").expectStatus().isOk();
        }
        send(ELASTICSEARCH, "es").expectStatus().isEqualTo(429)
                .expectHeader().valueEquals("X-Elastic-Product", "Elasticsearch")
                .expectHeader().contentType(MediaType.APPLICATION_JSON) // the clients decode no other error type
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "10")
                .expectBody()
                .jsonPath("$.status").isEqualTo(429)
                .jsonPath("$.type").doesNotExist() // nothing but objects beside error and status: the clients refuse more
                .jsonPath("$.error.code").isEqualTo("RATE_LIMITED")
                .jsonPath("$.error.type").isEqualTo("es_rejected_execution_exception")
                .jsonPath("$.error.root_cause[0].type").isEqualTo("es_rejected_execution_exception")
                .jsonPath("$.error.reason").value(reason -> assertThat((String) reason).contains("tenant es "));
    }

    @Test
    void payloadBytesPastTheByteBudgetAreRefusedAndALargerPayloadThanTheBurstIs413() {
        String tenant = "roomy"; // a burst of 100 requests: only the bytes run out
        String line = "{\"source\":\"web-1\",\"message\":\"" + "x".repeat(5 * 1024) + "\"}";
        http.post().uri(NATIVE.path()).contentType(MediaType.APPLICATION_JSON).header(TENANT, tenant).bodyValue(line)
                .exchange().expectStatus().isOk()
                .expectHeader().valueEquals(RateLimitAnswers.LIMIT, "8192") // the bytes have the smaller share left
                .expectHeader().valueEquals(RateLimitAnswers.REMAINING, Integer.toString(8192 - line.length()));
        int stored = store.stored.size();

        http.post().uri(NATIVE.path()).contentType(MediaType.APPLICATION_JSON).header(TENANT, tenant).bodyValue(line)
                .exchange().expectStatus().isEqualTo(429)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "3") // 5,152 bytes wanted, 3,040 held, 1 KiB/s
                .expectHeader().valueEquals(RateLimitAnswers.LIMIT, "8192")
                .expectBody().jsonPath("$.code").isEqualTo("RATE_LIMITED").jsonPath("$.limit").isEqualTo("bytes");
        String tooLarge = "{\"source\":\"web-1\",\"message\":\"" + "x".repeat(9 * 1024) + "\"}";
        http.post().uri(NATIVE.path()).contentType(MediaType.APPLICATION_JSON).header(TENANT, tenant).bodyValue(tooLarge)
                .exchange().expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(store.stored).hasSize(stored);

        clock.advance(Duration.ofSeconds(3));
        http.post().uri(NATIVE.path()).contentType(MediaType.APPLICATION_JSON).header(TENANT, tenant).bodyValue(line)
                .exchange().expectStatus().isOk();
        assertThat(store.stored).hasSize(stored + 1);
    }

    @Test
    void aGzipPushIsChargedWhatItInflatesTo() throws IOException {
        String tenant = "roomy-gzip";
        String push = "{\"streams\":[{\"stream\":{\"job\":\"api\"},\"values\":[[\"1764153000000000000\",\""
                + "x".repeat(5 * 1024) + "\"]]}]}";
        byte[] gzipped = gzip(push);
        assertThat(gzipped.length).isLessThan(200);
        pushGzip(tenant, gzipped).expectStatus().isNoContent();
        int stored = store.stored.size();

        pushGzip(tenant, gzipped).expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.code").isEqualTo("RATE_LIMITED").jsonPath("$.limit").isEqualTo("bytes");
        pushGzip("gzip-bomb", gzip(push.replace("x".repeat(5 * 1024), "x".repeat(9 * 1024))))
                .expectStatus().isEqualTo(413);
        assertThat(store.stored).hasSize(stored);
    }

    @Test
    void aLokiProtobufPushIsChargedTheLengthItsSnappyBlockAnnounces() {
        String tenant = "roomy-snappy";
        byte[] push = LokiPushes.snappy(List.of(new LokiPushes.Stream("{job=\"api\"}",
                List.of(new LokiPushes.Entry(1_764_153_000L, 0, "x".repeat(5 * 1024))))));
        assertThat(push.length).isLessThan(400);
        pushProtobuf(tenant, push).expectStatus().isNoContent()
                .expectHeader().value(RateLimitAnswers.REMAINING, remaining -> assertThat(Long.parseLong(remaining))
                        .isLessThan(8192 - 5 * 1024)); // charged the announced ~5 KiB, not the ~300 bytes sent
        int stored = store.stored.size();

        pushProtobuf(tenant, push).expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.code").isEqualTo("RATE_LIMITED").jsonPath("$.limit").isEqualTo("bytes");
        assertThat(store.stored).hasSize(stored);
    }

    private WebTestClient.ResponseSpec pushProtobuf(String tenant, byte[] body) {
        return http.post().uri(LOKI.path()).contentType(MediaType.parseMediaType("application/x-protobuf"))
                .header(TENANT, tenant).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec pushGzip(String tenant, byte[] body) {
        return http.post().uri(LOKI.path()).contentType(MediaType.APPLICATION_JSON).header(TENANT, tenant)
                .header(HttpHeaders.CONTENT_ENCODING, "gzip").bodyValue(body).exchange();
    }

    @Test
    void withoutAnOrgIdHeaderTheTenantIsThePartitionsAndItsThrottlingIsCounted() {
        String acme = "/api/v1/partitions/acme-logs/logs";
        double before = throttled("acme");
        http.post().uri(acme).contentType(MediaType.APPLICATION_JSON).bodyValue(NATIVE.body()).exchange()
                .expectStatus().isOk().expectHeader().valueEquals(RateLimitAnswers.LIMIT, "1");
        http.post().uri(acme).contentType(MediaType.APPLICATION_JSON).bodyValue(NATIVE.body()).exchange()
                .expectStatus().isEqualTo(429).expectBody().jsonPath("$.tenant").isEqualTo("acme");
        assertThat(throttled("acme")).isEqualTo(before + 1);
        // the default tenant's partition is another budget
        http.post().uri(NATIVE.path()).contentType(MediaType.APPLICATION_JSON).bodyValue(NATIVE.body()).exchange()
                .expectStatus().isOk().expectHeader().valueEquals(RateLimitAnswers.LIMIT, "3");
    }

    @Test
    void corsPreflightsSpendNoneOfTheBudget() {
        for (int i = 0; i < 3; i++) {
            http.options().uri(NATIVE.path()).header(TENANT, "preflight").header(HttpHeaders.ORIGIN, "http://127.0.0.1")
                    .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST").exchange()
                    .expectStatus().value(status -> assertThat(status).isNotEqualTo(429));
        }
        send(NATIVE, "preflight").expectStatus().isOk().expectHeader().valueEquals(RateLimitAnswers.REMAINING, "0");
    }

    private double throttled(String tenant) {
        var counter = meters.find(RateLimitFilter.THROTTLED).tag("tenant", tenant).tag("limit", "requests").counter();
        return counter == null ? 0 : counter.count();
    }

    /**
     * Enumerates the write routes of the context from its handler mappings and sends each a request
     * from a tenant whose budget is spent: every one must be refused by the limiter, so that a route
     * added to any protocol without coming under it fails here.
     */
    @Test
    void everyWriteRouteOfEveryProtocolIsLimited() {
        List<RequestMappingInfo> writes = new ArrayList<>();
        mappings.forEach(mapping -> mapping.getHandlerMethods().forEach((info, handler) -> {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            if (methods.isEmpty() || methods.contains(RequestMethod.POST) || methods.contains(RequestMethod.PUT)) {
                writes.add(info);
                assertThat(IngestRoutes.isIngest(info, handler)).as("a write route outside the limiter: " + info).isTrue();
            }
        }));
        assertThat(((RateLimitFilter) filter).routes().routes()).containsExactlyInAnyOrderElementsOf(writes);
        assertThat(writes.stream().flatMap(info -> info.getPatternsCondition().getPatterns().stream())
                .map(Object::toString)).contains("/api/v1/partitions/{partition}/logs", "/_bulk", "/{index}/_bulk",
                "/loki/api/v1/push", "/v1/logs");

        send(NATIVE, "starved").expectStatus().isOk();
        int stored = store.stored.size();
        int refused = 0;
        for (RequestMappingInfo route : writes) {
            Set<RequestMethod> methods = route.getMethodsCondition().getMethods();
            for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.POST) : methods) {
                for (var pattern : route.getPatternsCondition().getPatterns()) {
                    String uri = pattern.getPatternString().replaceAll("\\{[^}]+}", "logs");
                    http.method(HttpMethod.valueOf(method.name())).uri(uri).header(TENANT, "starved")
                            .contentType(MediaType.APPLICATION_JSON).bodyValue(NATIVE.body()).exchange()
                            .expectStatus().isEqualTo(429)
                            .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                            .expectHeader().valueEquals(RateLimitAnswers.REMAINING, "0")
                            .expectBody().jsonPath(problem(uri) + "code").isEqualTo("RATE_LIMITED");
                    refused++;
                }
            }
        }
        assertThat(refused).isGreaterThanOrEqualTo(7); // the five paths, bulk's two with POST and PUT
        assertThat(store.stored).as("entries stored by refused requests").hasSize(stored);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
