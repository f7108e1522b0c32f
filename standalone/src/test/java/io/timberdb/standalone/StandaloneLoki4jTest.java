package io.timberdb.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.standalone.loki4j.Loki4jClient;
import io.timberdb.standalone.loki4j.Loki4jClient.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient.BodyContentSpec;

/**
 * The loki4j Logback appender (2.0.0, its Java HTTP sender) against the standalone on a real
 * loopback port: its protobuf+snappy and JSON pushes are stored and queryable as the Loki route
 * maps them, its partition label routes streams, and a push naming an unknown partition stores
 * nothing of its batch.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StandaloneLoki4jTest extends StandaloneContext {

    static final Instant T0 = Instant.parse("2026-11-26T10:30:00.123456789Z");
    static final String LABELS = "job=checkout\nhost=web-1\nlevel=%level";
    static final String METADATA = "logger=%logger\nthread=%thread\n*=%%mdc\n*=%%kvp";
    static final int EVENTS = 120;

    @Value("${local.server.port}")
    int port;

    @Test
    void protobufPushesFromTheAppenderAreStoredWithTheirLabelsMetadataAndTimes() {
        awaitHealthy();
        createPartition("loki", "team-a"); // the appender pushes as tenant team-a (X-Scope-OrgID)
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(new Event(T0.plusSeconds(i), i % 3 == 0 ? "ERROR" : "INFO", "order " + i + " placed", Map.of(),
                    Map.of("trace_id", "trace-" + i), Map.of("order.id", Integer.toString(i))));
        }

        List<String> problems = client(true, "team-a", LABELS).ship(events);

        assertThat(problems).as("loki4j's warnings and errors").isEmpty();
        queryAs("team-a", "{\"filter\":{},\"partitions\":[\"loki\"],\"limit\":1000}")
                .jsonPath("$.matched_entries").isEqualTo(EVENTS)
                .jsonPath("$.entries.length()").isEqualTo(EVENTS);
        queryAs("team-a", "{\"filter\":{\"tags\":{\"order.id\":\"7\"}},\"partitions\":[\"loki\"]}")
                .jsonPath("$.matched_entries").isEqualTo(1)
                .jsonPath("$.entries[0].message").isEqualTo("order 7 placed")
                .jsonPath("$.entries[0].timestamp").isEqualTo("2026-11-26T10:30:07.123456789Z")
                .jsonPath("$.entries[0].source").isEqualTo("web-1")
                .jsonPath("$.entries[0].tags.job").isEqualTo("checkout")
                .jsonPath("$.entries[0].tags.host").isEqualTo("web-1")
                .jsonPath("$.entries[0].tags.level").isEqualTo("INFO")
                .jsonPath("$.entries[0].tags.tenant").isEqualTo("team-a")
                .jsonPath("$.entries[0].tags.trace_id").isEqualTo("trace-7")
                .jsonPath("$.entries[0].tags.logger").isEqualTo("io.example.Checkout")
                .jsonPath("$.entries[0].tags.thread").isEqualTo("worker-1");
        queryAs("team-a", "{\"filter\":{\"tags\":{\"level\":\"ERROR\"}},\"partitions\":[\"loki\"]}")
                .jsonPath("$.matched_entries").isEqualTo(EVENTS / 3);
    }

    @Test
    void jsonPushesFromTheAppenderAreStoredToo() {
        awaitHealthy();
        createPartition("loki-json");
        List<String> problems = client(false, null, LABELS + "\npartition=loki-json").ship(List.of(
                new Event(T0, "WARN", "cart \"full\" ünïcode", Map.of(), Map.of(), Map.of("cart", "c-1")),
                new Event(T0.plusMillis(1), "INFO", "cart emptied", Map.of(), Map.of(), Map.of("cart", "c-1"))));

        assertThat(problems).as("loki4j's warnings and errors").isEmpty();
        query("{\"filter\":{\"message_contains\":\"full\"},\"partitions\":[\"loki-json\"]}")
                .jsonPath("$.matched_entries").isEqualTo(1)
                .jsonPath("$.entries[0].message").isEqualTo("cart \"full\" ünïcode")
                .jsonPath("$.entries[0].timestamp").isEqualTo("2026-11-26T10:30:00.123456789Z")
                .jsonPath("$.entries[0].tags.level").isEqualTo("WARN")
                .jsonPath("$.entries[0].tags.partition").isEqualTo("loki-json")
                .jsonPath("$.entries[0].tags.cart").isEqualTo("c-1")
                .jsonPath("$.entries[0].tags.tenant").doesNotExist();
        query("{\"filter\":{},\"partitions\":[\"loki-json\"]}").jsonPath("$.matched_entries").isEqualTo(2);
    }

    @Test
    void thePartitionLabelRoutesEachStreamAndAnUnknownPartitionStoresNothingOfItsPush() {
        awaitHealthy();
        createPartition("billing");
        createPartition("audit");
        Loki4jClient client = client(true, null, LABELS);

        List<String> problems = client.ship(List.of(
                new Event(T0, "INFO", "invoice sent", Map.of("partition", "billing"), Map.of(), Map.of()),
                new Event(T0.plusSeconds(1), "INFO", "login", Map.of("partition", "audit"), Map.of(), Map.of()),
                new Event(T0.plusSeconds(2), "INFO", "logout", Map.of("partition", "audit"), Map.of(), Map.of())));

        assertThat(problems).as("loki4j's warnings and errors").isEmpty();
        query("{\"filter\":{},\"partitions\":[\"billing\"]}")
                .jsonPath("$.matched_entries").isEqualTo(1)
                .jsonPath("$.entries[0].message").isEqualTo("invoice sent")
                .jsonPath("$.entries[0].tags.partition").isEqualTo("billing");
        query("{\"filter\":{},\"partitions\":[\"audit\"]}")
                .jsonPath("$.matched_entries").isEqualTo(2)
                .jsonPath("$.entries[0].message").isEqualTo("logout")
                .jsonPath("$.entries[1].message").isEqualTo("login");

        // one batch, two streams: the unknown partition refuses the whole push (404), so the
        // billing entry beside it is not stored either; loki4j drops the batch and says so
        List<String> refused = client.ship(List.of(
                new Event(T0.plusSeconds(3), "INFO", "refund sent", Map.of("partition", "billing"), Map.of(), Map.of()),
                new Event(T0.plusSeconds(4), "INFO", "lost", Map.of("partition", "nope"), Map.of(), Map.of())));

        assertThat(refused).as("loki4j's report of the refused push").anyMatch(p -> p.contains("404"));
        query("{\"filter\":{},\"partitions\":[\"billing\"]}").jsonPath("$.matched_entries").isEqualTo(1);
    }

    private Loki4jClient client(boolean protobuf, String tenant, String labels) {
        return new Loki4jClient("http://127.0.0.1:" + port + "/loki/api/v1/push", protobuf, tenant, labels, METADATA);
    }

    private BodyContentSpec queryAs(String tenant, String body) {
        return http.post().uri("/api/v1/query/execute").header("X-Scope-OrgID", tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody();
    }

    private BodyContentSpec query(String body) {
        return http.post().uri("/api/v1/query/execute").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody();
    }
}
