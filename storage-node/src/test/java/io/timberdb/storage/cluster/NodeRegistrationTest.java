package io.timberdb.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.timberdb.model.client.CoordinatorClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** Registration retries until a coordinator answers, then heartbeats, and tracks contact. */
class NodeRegistrationTest {

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicReference<HttpStatus> answer = new AtomicReference<>(HttpStatus.SERVICE_UNAVAILABLE);
    private final AtomicReference<ClientRequest> lastRequest = new AtomicReference<>();
    private NodeRegistration registration;

    private CoordinatorClient client() {
        WebClient.Builder builder = WebClient.builder().exchangeFunction(request -> {
            calls.incrementAndGet();
            lastRequest.set(request);
            HttpStatus status = answer.get();
            ClientResponse.Builder response = ClientResponse.create(status)
                    .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
            return Mono.just(status.is2xxSuccessful()
                    ? response.body("{\"id\":\"storage-9\",\"address\":\"http://127.0.0.1:9999\",\"state\":\"ACTIVE\","
                            + "\"registered_at\":\"2024-07-01T12:00:00Z\"}").build()
                    : response.body("{}").build());
        });
        return new CoordinatorClient(builder, List.of(URI.create("http://coordinator-1:7801")));
    }

    @AfterEach
    void stop() {
        if (registration != null) {
            registration.close();
        }
    }

    @Test
    void retriesUntilACoordinatorAnswersThenKeepsHeartbeating() {
        registration = new NodeRegistration(client(), "storage-9", Duration.ofMillis(100), Duration.ofMillis(10));
        assertThat(registration.state()).isEqualTo(NodeRegistration.State.NOT_STARTED);
        registration.start("http://127.0.0.1:9999");
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 3);
        assertThat(registration.state()).isEqualTo(NodeRegistration.State.UNREACHABLE);
        assertThat(registration.registered()).isFalse();

        answer.set(HttpStatus.OK);
        await().atMost(Duration.ofSeconds(10)).until(registration::registered);
        assertThat(lastRequest.get().url()).isEqualTo(URI.create("http://coordinator-1:7801/internal/v1/nodes"));
        int afterRegistering = calls.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= afterRegistering + 3);
        assertThat(registration.registered()).isTrue();
        assertThat(registration.address()).isEqualTo("http://127.0.0.1:9999");
    }

    @Test
    void notesLostContactAndRegistersAgain() {
        answer.set(HttpStatus.OK);
        registration = new NodeRegistration(client(), "storage-9", Duration.ofMillis(50), Duration.ofMillis(10));
        registration.start("http://127.0.0.1:9999");
        await().atMost(Duration.ofSeconds(10)).until(registration::registered);

        answer.set(HttpStatus.INTERNAL_SERVER_ERROR);
        await().atMost(Duration.ofSeconds(10)).until(() -> registration.state() == NodeRegistration.State.UNREACHABLE);
        answer.set(HttpStatus.OK);
        await().atMost(Duration.ofSeconds(10)).until(registration::registered);
    }

    @Test
    void startIsIdempotentAndCloseStopsHeartbeats() {
        answer.set(HttpStatus.OK);
        registration = new NodeRegistration(client(), "storage-9", Duration.ofMillis(50), Duration.ofMillis(10));
        registration.start("http://127.0.0.1:9999");
        registration.start("http://elsewhere:1");
        await().atMost(Duration.ofSeconds(10)).until(registration::registered);
        assertThat(registration.address()).isEqualTo("http://127.0.0.1:9999");
        registration.close();
        int stopped = calls.get();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> calls.get() <= stopped + 1);
    }

    /** Each registration carries the node's zone and its storage's capacity, as JSON the coordinators read. */
    @Test
    void registrationsCarryTheZoneAndTheCapacity() {
        java.util.concurrent.BlockingQueue<String> bodies = new java.util.concurrent.LinkedBlockingQueue<>();
        reactor.netty.DisposableServer server = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post("/internal/v1/nodes", (request, response) -> request.receive().aggregate()
                        .asString().flatMap(body -> {
                            bodies.add(body);
                            return response.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                                    .sendString(Mono.just("{\"id\":\"storage-9\",\"address\":\"http://127.0.0.1:9999\","
                                            + "\"state\":\"ACTIVE\",\"registered_at\":\"2024-07-01T12:00:00Z\"}")).then();
                        })))
                .bindNow();
        try {
            CoordinatorClient client = new CoordinatorClient(WebClient.builder(),
                    List.of(URI.create("http://127.0.0.1:" + server.port())));
            registration = new NodeRegistration(client, "storage-9", "zone-b", () -> 123_456_789L,
                    () -> Map.of("p-1/0", 4_096L), Duration.ofMillis(50), Duration.ofMillis(10));
            registration.start("http://127.0.0.1:9999");
            await().atMost(Duration.ofSeconds(10)).until(registration::registered);

            tools.jackson.databind.JsonNode body = tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(bodies.poll());
            assertThat(body.path("id").asString()).isEqualTo("storage-9");
            assertThat(body.path("address").asString()).isEqualTo("http://127.0.0.1:9999");
            assertThat(body.path("zone").asString()).isEqualTo("zone-b");
            assertThat(body.path("capacity_bytes").asLong()).isEqualTo(123_456_789L);
            assertThat(body.path("shard_bytes").path("p-1/0").asLong()).isEqualTo(4_096L);
        } finally {
            server.disposeNow();
        }
    }
}
