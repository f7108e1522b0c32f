package io.timberdb.standalone;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The standalone serves the Loki push route of the ingest service: a push to the default
 * partition is stored and queryable; one to a partition that does not exist stores nothing. With
 * authentication off, {@code X-Scope-OrgID} names the tenant, as in Loki: its partitions only.
 */
class StandaloneLokiPushTest extends StandaloneContext {

    @Test
    void aLokiJsonPushIsStoredAndQueryable() {
        awaitHealthy();
        http.post().uri("/api/v1/partitions").contentType(MediaType.APPLICATION_JSON).header("X-Scope-OrgID", "team-a")
                .bodyValue("{\"name\":\"loki\"}").exchange().expectStatus().isCreated();

        http.post().uri("/loki/api/v1/push").contentType(MediaType.APPLICATION_JSON).header("X-Scope-OrgID", "team-a")
                .bodyValue("""
                        {"streams":[{"stream":{"job":"api","host":"web-1"},
                          "values":[["1764153000123456789","GET /health 200",{"trace_id":"t-1"}]]}]}
                        """).exchange()
                .expectStatus().isNoContent();
        http.post().uri("/loki/api/v1/push").contentType(MediaType.APPLICATION_JSON).header("X-Scope-OrgID", "team-a")
                .bodyValue("{\"streams\":[{\"stream\":{\"job\":\"api\",\"partition\":\"nope\"},\"values\":[[\"1\",\"x\"]]}]}")
                .exchange().expectStatus().isNotFound();
        // without the header: the default tenant, which has no partition "loki"
        http.post().uri("/loki/api/v1/push").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"streams\":[{\"stream\":{\"job\":\"api\"},\"values\":[[\"1\",\"x\"]]}]}")
                .exchange().expectStatus().isNotFound();

        http.post().uri("/api/v1/query/execute").contentType(MediaType.APPLICATION_JSON).header("X-Scope-OrgID", "team-a")
                .bodyValue("{\"filter\":{},\"partitions\":[\"loki\"]}").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.matched_entries").isEqualTo(1)
                .jsonPath("$.entries[0].source").isEqualTo("web-1")
                .jsonPath("$.entries[0].message").isEqualTo("GET /health 200")
                .jsonPath("$.entries[0].timestamp").isEqualTo("2025-11-26T10:30:00.123456789Z")
                .jsonPath("$.entries[0].tags.trace_id").isEqualTo("t-1")
                .jsonPath("$.entries[0].tags.tenant").isEqualTo("team-a");
    }
}
