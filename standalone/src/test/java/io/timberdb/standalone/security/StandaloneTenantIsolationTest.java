package io.timberdb.standalone.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * Tenant isolation through the running standalone in local mode: the token's tenant claim names
 * the caller's tenant; another tenant's partition answers every route exactly as a missing one,
 * byte for byte, {@code FROM *} spans the caller's partitions only, and a name is per tenant (a
 * bulk index auto-created by one tenant is its own partition beside another tenant's of that name).
 */
class StandaloneTenantIsolationTest extends SecuredStandalone {

    private static final String ALL = "admin logs:read logs:write";

    TestTokens tokens;

    @BeforeEach
    void tokens() throws Exception {
        awaitHealthy();
        tokens = new TestTokens(signingKey());
    }

    /** One request naming the partition {@code theirs}. */
    record Call(HttpMethod method, String path, String body, String header) {
    }

    @Test
    void anotherTenantsPartitionAnswersEveryRouteExactlyAsAMissingOne() {
        String globex = tokens.validFor("globex", ALL);
        send(globex, new Call(HttpMethod.POST, "/api/v1/partitions", "{\"name\":\"theirs\"}", null), 201);
        send(globex, new Call(HttpMethod.POST, "/api/v1/partitions/theirs/logs",
                "{\"source\":\"app\",\"message\":\"globex secret\"}", null), 200);

        List<Call> calls = List.of(
                new Call(HttpMethod.GET, "/api/v1/partitions/theirs", null, null),
                new Call(HttpMethod.PATCH, "/api/v1/partitions/theirs", "{\"retention_days\":1}", null),
                new Call(HttpMethod.DELETE, "/api/v1/partitions/theirs", null, null),
                new Call(HttpMethod.POST, "/api/v1/partitions/theirs/logs", "{\"source\":\"x\",\"message\":\"m\"}", null),
                new Call(HttpMethod.POST, "/api/v1/query/execute", "{\"partitions\":[\"theirs\"]}", null),
                new Call(HttpMethod.POST, "/api/v1/query", "{\"query\":\"SELECT * FROM theirs\"}", null),
                new Call(HttpMethod.POST, "/loki/api/v1/push",
                        "{\"streams\":[{\"stream\":{\"job\":\"a\"},\"values\":[[\"1\",\"x\"]]}]}", "theirs"));
        String acme = tokens.valid(ALL);
        String initech = tokens.validFor("initech", ALL); // a tenant for which "theirs" is simply missing
        for (Call call : calls) {
            String other = send(acme, call, 404);
            String missing = send(initech, call, 404);
            assertThat(other).as("%s %s", call.method(), call.path()).isEqualTo(missing).contains("PARTITION_NOT_FOUND")
                    .doesNotContain("globex");
        }
        assertThat(send(acme, new Call(HttpMethod.GET, "/api/v1/partitions", null, null), 200)).doesNotContain("theirs");
        // FROM * spans the caller's partitions only
        assertThat(send(acme, new Call(HttpMethod.POST, "/api/v1/query", "{\"query\":\"SELECT * FROM *\"}", null), 200))
                .doesNotContain("globex secret");

        // the standalone auto-creates bulk indices: in the caller's tenant, a partition of its own of the same name
        assertThat(send(acme, new Call(HttpMethod.POST, "/theirs/_bulk",
                "{\"index\":{}}\n{\"message\":\"acme own\"}\n", null), 200)).contains("\"errors\":false");
        assertThat(send(acme, new Call(HttpMethod.GET, "/api/v1/partitions/theirs", null, null), 200))
                .contains("\"tenant\":\"acme\"");
        assertThat(send(acme, new Call(HttpMethod.POST, "/api/v1/query", "{\"query\":\"SELECT * FROM theirs\"}", null), 200))
                .contains("acme own").doesNotContain("globex secret");
        assertThat(send(globex, new Call(HttpMethod.POST, "/api/v1/query", "{\"query\":\"SELECT * FROM *\"}", null), 200))
                .contains("globex secret").doesNotContain("acme own");
    }

    @Test
    void theTenantHeaderIsIgnoredWhenAuthenticationIsOn() {
        String globex = tokens.validFor("globex", ALL);
        send(globex, new Call(HttpMethod.POST, "/api/v1/partitions", "{\"name\":\"header-test\"}", null), 201);
        String acme = tokens.valid(ALL);
        assertThat(http.get().uri("/api/v1/partitions/header-test").header(HttpHeaders.AUTHORIZATION, "Bearer " + acme)
                .header("X-Scope-OrgID", "globex").exchange().expectStatus().isNotFound()
                .expectBody(String.class).returnResult().getResponseBody()).contains("PARTITION_NOT_FOUND");
        http.post().uri("/api/v1/partitions").header(HttpHeaders.AUTHORIZATION, "Bearer " + acme)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"mine\",\"tenant\":\"globex\"}").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("tenant");
    }

    private String send(String token, Call call, int status) {
        var request = http.method(call.method()).uri(call.path()).header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        if (call.header() != null) {
            request = request.header("X-TimberDB-Partition", call.header());
        }
        var exchange = call.body() == null ? request.exchange()
                : request.contentType(call.path().endsWith("_bulk") ? MediaType.parseMediaType("application/x-ndjson")
                        : MediaType.APPLICATION_JSON).bodyValue(call.body()).exchange();
        byte[] body = exchange.expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }
}
