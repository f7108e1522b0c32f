package io.timberdb.standalone;

import io.timberdb.model.limit.RateLimitAnswers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The query routes' per-tenant request rate in the standalone, which serves ingest, partitions and
 * queries on one port: with a burst of two queries, a tenant's third is refused 429 with the
 * {@code RateLimit-*} headers, another tenant's queries and the same tenant's writes and partition
 * calls still go through.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = {
        "timberdb.query.rate-limit.burst=2", "timberdb.query.rate-limit.requests-per-minute=1"})
class StandaloneQueryRateLimitTest extends StandaloneContext {

    static final String TENANT = "X-Scope-OrgID";

    WebTestClient.ResponseSpec query(String tenant) {
        return http.post().uri("/api/v1/query").header(TENANT, tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"query\":\"SELECT count(*) FROM logs\"}").exchange();
    }

    @Test
    void aTenantOverItsQueryRateIsRefusedAndOnlyItsQueriesAre() {
        awaitHealthy();
        createPartition("logs", "team-q");
        createPartition("logs", "team-r");

        query("team-q").expectStatus().isOk().expectHeader().valueEquals(RateLimitAnswers.REMAINING, "1");
        query("team-q").expectStatus().isOk().expectHeader().valueEquals(RateLimitAnswers.REMAINING, "0");
        query("team-q").expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectHeader().valueEquals(RateLimitAnswers.LIMIT, "2")
                .expectHeader().valueEquals(RateLimitAnswers.REMAINING, "0")
                .expectBody().jsonPath("$.code").isEqualTo("RATE_LIMITED")
                .jsonPath("$.tenant").isEqualTo("team-q")
                .jsonPath("$.limit").isEqualTo("requests");

        query("team-r").expectStatus().isOk().expectHeader().valueEquals(RateLimitAnswers.REMAINING, "1");

        // the same tenant's writes and partition calls are not query routes
        http.post().uri("/api/v1/partitions/logs/logs").header(TENANT, "team-q").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"source\":\"web-1\",\"message\":\"still written\"}").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.accepted").isEqualTo(1);
        http.get().uri("/api/v1/partitions/logs").header(TENANT, "team-q").exchange().expectStatus().isOk()
                .expectHeader().doesNotExist(RateLimitAnswers.LIMIT);
    }
}
