package io.timberdb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import io.timberdb.security.local.LocalSigningKey;
import io.timberdb.security.local.LocalTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import reactor.core.publisher.Mono;

/**
 * {@code timberdb.api.cors.*} on the gateway in jwt mode: a browser's pre-flight is answered by
 * the gateway without a token and never reaches a service; an actual cross-origin request gets
 * the CORS headers once, on a refusal as on a routed answer; a disallowed origin gets none.
 */
class GatewayCorsTest {

    private static final String ORIGIN = "https://ui.example.com";

    @TempDir
    static Path dir;

    private static RunningGateway gateway;
    private static RSAKey key;
    private static final AtomicInteger calls = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        key = LocalSigningKey.loadOrCreate(dir.resolve("key.json"));
        gateway = RunningGateway.startJwt(key, (request, response) -> {
            calls.incrementAndGet();
            return response.status(200).header(HttpHeaders.CONTENT_TYPE, "application/json").sendString(Mono.just("{}"));
        }, "--timberdb.api.cors.origins=" + ORIGIN, "--timberdb.api.cors.methods=GET,POST",
                "--timberdb.api.cors.headers=Content-Type,Authorization", "--timberdb.api.cors.max-age=10m");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void answersAPreflightItselfWithoutAToken() {
        int before = calls.get();
        HttpHeaders headers = gateway.http.options().uri("/v1/logs").header(HttpHeaders.ORIGIN, ORIGIN)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type").exchange()
                .expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders();
        assertThat(headers.getAccessControlAllowOrigin()).isEqualTo(ORIGIN);
        assertThat(headers.getAccessControlAllowMethods()).containsExactly(HttpMethod.GET, HttpMethod.POST);
        assertThat(headers.getAccessControlAllowHeaders()).containsExactlyInAnyOrder("authorization", "content-type");
        assertThat(headers.getAccessControlMaxAge()).isEqualTo(600);
        assertThat(headers.getAccessControlAllowCredentials()).isFalse();
        assertThat(headers.containsHeader(HttpHeaders.WWW_AUTHENTICATE)).isFalse();
        assertThat(calls.get()).as("the pre-flight reached no service").isEqualTo(before);
    }

    @Test
    void refusesAPreflightFromAnotherOriginOrForAnotherMethod() {
        gateway.http.options().uri("/v1/logs").header(HttpHeaders.ORIGIN, "https://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST").exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        gateway.http.options().uri("/v1/logs").header(HttpHeaders.ORIGIN, ORIGIN)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "DELETE").exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }

    @Test
    void anActualCrossOriginRequestCarriesTheHeadersOnceOnARefusalAndWhenRouted() {
        gateway.http.post().uri("/v1/logs").header(HttpHeaders.ORIGIN, ORIGIN).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN)
                .expectBody().jsonPath("$.code").isEqualTo("AUTHENTICATION_REQUIRED");

        String writer = LocalTokens.sign(key, "acme", List.of("logs:write"), Duration.ofMinutes(5), Instant.now());
        HttpHeaders routed = gateway.http.post().uri("/v1/logs").header(HttpHeaders.ORIGIN, ORIGIN)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + writer).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange()
                .expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders();
        assertThat(routed.get(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)).containsExactly(ORIGIN);

        gateway.http.post().uri("/v1/logs").header(HttpHeaders.ORIGIN, "https://evil.example")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + writer).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }
}
