package io.timberdb.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The standalone with the spec's default CORS policy ({@code enable_cors = true}, any origin, no
 * credentials): a browser's pre-flight of a write, and actual cross-origin requests.
 */
class StandaloneCorsTest extends StandaloneContext {

    private static final String ORIGIN = "https://dashboard.example.org";

    /**
     * The mock server's requests have no scheme or host unless the client gives a base URL, and
     * without them no origin can be told apart from the server's own: every CORS check refuses.
     */
    private WebTestClient browser;

    @BeforeEach
    void healthy() {
        awaitHealthy();
        browser = http.mutate().baseUrl("http://127.0.0.1:7777").build();
    }

    @Test
    void answersAPreflightOfAWriteWithTheSpecsDefaults() {
        HttpHeaders headers = browser.options().uri("/api/v1/partitions/any/logs").header(HttpHeaders.ORIGIN, ORIGIN)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "Content-Type, Authorization").exchange()
                .expectStatus().isOk()
                .expectBody().isEmpty().getResponseHeaders();
        assertThat(headers.getAccessControlAllowOrigin()).isEqualTo("*");
        assertThat(headers.getAccessControlAllowMethods())
                .containsExactly(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS);
        assertThat(headers.getAccessControlAllowHeaders()).containsExactlyInAnyOrder("Content-Type", "Authorization");
        assertThat(headers.getAccessControlMaxAge()).isEqualTo(3600);
        assertThat(headers.getAccessControlAllowCredentials()).isFalse();
    }

    @Test
    void anActualCrossOriginRequestIsServedWithTheHeadersAndAHeaderNotListedIsRefused() {
        createPartition("cors-logs");
        browser.post().uri("/api/v1/partitions/cors-logs/logs").header(HttpHeaders.ORIGIN, ORIGIN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"source\":\"browser\",\"message\":\"from a page\"}")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .expectBody().jsonPath("$.accepted").isEqualTo(1);

        browser.options().uri("/api/v1/partitions/cors-logs/logs").header(HttpHeaders.ORIGIN, ORIGIN)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "X-Not-Allowed").exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }
}
