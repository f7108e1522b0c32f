package io.timberdb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import io.timberdb.model.web.ClusterCredential;
import io.timberdb.security.local.LocalSigningKey;
import io.timberdb.security.local.LocalTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * The gateway in jwt mode checks tokens itself (a request without one, or without the scope,
 * never reaches a service) and relays the caller's {@code Authorization} header to the service
 * it routes to. The issuer's JWK set is served by the same loopback stub that plays the ingest
 * service, so the keys are fetched over HTTP as from a real authorization server.
 */
class GatewayTokenRelayTest {

    @TempDir
    static Path dir;

    private static RunningGateway gateway;
    private static WebTestClient http;
    private static RSAKey key;
    private static final AtomicReference<String> relayed = new AtomicReference<>();
    private static final AtomicReference<String> relayedClusterToken = new AtomicReference<>();
    private static final AtomicInteger calls = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        key = LocalSigningKey.loadOrCreate(dir.resolve("key.json"));
        gateway = RunningGateway.startJwt(key, (request, response) -> {
            calls.incrementAndGet();
            relayed.set(request.requestHeaders().get(HttpHeaders.AUTHORIZATION));
            relayedClusterToken.set(request.requestHeaders().get(ClusterCredential.HEADER));
            return response.status(200).header(HttpHeaders.CONTENT_TYPE, "application/json").sendString(Mono.just("{}"));
        });
        http = gateway.http;
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void refusesWithoutATokenAndRelaysAValidOne() {
        int before = calls.get(); // the other tests' calls
        http.post().uri("/v1/logs").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"timberdb\"")
                .expectBody().jsonPath("$.code").isEqualTo("AUTHENTICATION_REQUIRED");
        String reader = LocalTokens.sign(key, "acme", List.of("logs:read"), Duration.ofMinutes(5), Instant.now());
        http.post().uri("/v1/logs").header(HttpHeaders.AUTHORIZATION, "Bearer " + reader)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(calls).hasValue(before);

        String writer = LocalTokens.sign(key, "acme", List.of("logs:write"), Duration.ofMinutes(5), Instant.now());
        http.post().uri("/v1/logs").header(HttpHeaders.AUTHORIZATION, "Bearer " + writer)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isOk();
        assertThat(calls).hasValue(before + 1);
        assertThat(relayed).hasValue("Bearer " + writer);
        http.post().uri("/v1/logs").header(HttpHeaders.AUTHORIZATION, "Bearer " + writer.substring(0, writer.length() - 4) + "AAAA")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_TOKEN");
        assertThat(calls).hasValue(before + 1);
    }

    @Test
    void aClientsClusterTokenHeaderIsNotRelayed() {
        String writer = LocalTokens.sign(key, "acme", List.of("logs:write"), Duration.ofMinutes(5), Instant.now());
        http.post().uri("/v1/logs").header(HttpHeaders.AUTHORIZATION, "Bearer " + writer)
                .header(ClusterCredential.HEADER, "a-guessed-cluster-token")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isOk();
        assertThat(relayed).hasValue("Bearer " + writer);
        assertThat(relayedClusterToken).hasValue(null);
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }
}
