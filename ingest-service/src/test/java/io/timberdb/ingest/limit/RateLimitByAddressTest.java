package io.timberdb.ingest.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.limit.RateLimitAnswers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code key-by: ip} with the headers of admitted requests off: tenants share their address's
 * budget, and only a refusal carries the {@code RateLimit-*} headers.
 */
@SpringBootTest(classes = IngestRoutesContext.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = {
        "timberdb.ingest.rate-limit.key-by=ip",
        "timberdb.ingest.rate-limit.burst=2",
        "timberdb.ingest.rate-limit.enable-rate-limit-headers=false"})
@AutoConfigureWebTestClient
class RateLimitByAddressTest {

    @Autowired
    WebTestClient http;
    @Autowired
    IngestRoutesContext store;

    WebTestClient.ResponseSpec send(String tenant) {
        return http.post().uri(RateLimitedRoutesTest.NATIVE.path()).contentType(MediaType.APPLICATION_JSON)
                .header(RateLimitedRoutesTest.TENANT, tenant).bodyValue(RateLimitedRoutesTest.NATIVE.body()).exchange();
    }

    @Test
    void tenantsFromOneAddressShareItsBudgetAndOnlyTheRefusalCarriesTheHeaders() {
        send("team-a").expectStatus().isOk().expectHeader().doesNotExist(RateLimitAnswers.LIMIT)
                .expectHeader().doesNotExist(RateLimitAnswers.REMAINING);
        send("team-b").expectStatus().isOk().expectHeader().doesNotExist(RateLimitAnswers.LIMIT);
        int stored = store.stored.size();
        send("team-c").expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectHeader().valueEquals(RateLimitAnswers.LIMIT, "2")
                .expectHeader().valueEquals(RateLimitAnswers.REMAINING, "0")
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).startsWith("client "))
                .jsonPath("$.tenant").isEqualTo("team-c");
        assertThat(store.stored).hasSize(stored);
    }
}
