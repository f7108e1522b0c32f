package io.timberdb.standalone;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The standalone serves the OTLP/HTTP logs route of the ingest service: an OTLP/JSON export to the
 * default partition is stored and queryable; one to a partition that does not exist stores nothing.
 */
class StandaloneOtlpLogsTest extends StandaloneContext {

    @Test
    void anOtlpJsonExportIsStoredAndQueryable() {
        awaitHealthy();
        http.post().uri("/api/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"otel\"}").exchange().expectStatus().isCreated();

        http.post().uri("/v1/logs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
                          "scopeLogs":[{"scope":{"name":"io.example.Checkout"},
                            "logRecords":[{"timeUnixNano":"1764153000123456789","severityNumber":17,
                                           "body":{"stringValue":"payment failed"},
                                           "traceId":"5b8efff798038103d269b633813fc60c",
                                           "attributes":[{"key":"order.id","value":{"intValue":"42"}}]}]}]}]}
                        """).exchange()
                .expectStatus().isOk().expectBody().json("{}");
        http.post().uri("/v1/logs").contentType(MediaType.APPLICATION_JSON).header("X-TimberDB-Partition", "nope")
                .bodyValue("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"x\"}}]}]}]}")
                .exchange().expectStatus().isNotFound();

        http.post().uri("/api/v1/query/execute").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"filter\":{},\"partitions\":[\"otel\"]}").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.matched_entries").isEqualTo(1)
                .jsonPath("$.entries[0].source").isEqualTo("checkout")
                .jsonPath("$.entries[0].message").isEqualTo("payment failed")
                .jsonPath("$.entries[0].timestamp").isEqualTo("2025-11-26T10:30:00.123456789Z")
                .jsonPath("$.entries[0].tags.level").isEqualTo("error")
                .jsonPath("$.entries[0].tags['order.id']").isEqualTo("42")
                .jsonPath("$.entries[0].tags['otel.scope.name']").isEqualTo("io.example.Checkout")
                .jsonPath("$.entries[0].tags.trace_id").isEqualTo("5b8efff798038103d269b633813fc60c");
    }
}
