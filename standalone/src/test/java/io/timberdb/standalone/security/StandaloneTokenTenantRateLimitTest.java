package io.timberdb.standalone.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.security.local.LocalSigningKey;
import io.timberdb.standalone.StandaloneApplication;
import io.timberdb.standalone.StandaloneContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * With authentication on, an ingest request spends its token's tenant's rate budget, not the
 * budget of the tenant its {@code X-Scope-OrgID} header claims: one request per tenant (a burst
 * of one), and a caller of tenant acme that claims tenant beta in the header spends acme's, so
 * beta's own request still passes.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK,
        properties = {"timberdb.security.mode=local", "timberdb.ingest.rate-limit.enabled=true",
                "timberdb.ingest.rate-limit.burst=1", "timberdb.ingest.rate-limit.requests-per-minute=1"})
class StandaloneTokenTenantRateLimitTest extends StandaloneContext {

    static final String ALL = "admin logs:read logs:write";
    static final String ENTRY = "{\"source\":\"app\",\"message\":\"m\"}";

    WebTestClient.ResponseSpec write(String token, String partition, String claimedTenant) {
        WebTestClient.RequestBodySpec request = http.post().uri("/api/v1/partitions/" + partition + "/logs")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).contentType(MediaType.APPLICATION_JSON);
        if (claimedTenant != null) {
            request.header("X-Scope-OrgID", claimedTenant);
        }
        return request.bodyValue(ENTRY).exchange();
    }

    @Test
    void theTokensTenantPaysWhateverTheHeaderClaims() throws Exception {
        awaitHealthy();
        TestTokens tokens = new TestTokens(LocalSigningKey.load(LocalSigningKey.defaultFile(dataDir)));
        String acme = tokens.validFor("acme", ALL);
        String beta = tokens.validFor("beta", ALL);
        for (String[] owner : new String[][] {{acme, "acme-logs"}, {beta, "beta-logs"}}) {
            http.post().uri("/api/v1/partitions").header(HttpHeaders.AUTHORIZATION, "Bearer " + owner[0])
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"" + owner[1] + "\"}")
                    .exchange().expectStatus().isCreated();
        }

        write(acme, "acme-logs", "beta").expectStatus().isOk();
        write(acme, "acme-logs", "beta").expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.code").isEqualTo("RATE_LIMITED")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("tenant acme"));
        write(beta, "beta-logs", null).expectStatus().isOk();
    }
}
