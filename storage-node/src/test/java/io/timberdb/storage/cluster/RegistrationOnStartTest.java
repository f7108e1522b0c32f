package io.timberdb.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.timberdb.storage.StorageNodeApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** Once its HTTP server listens, the node registers with the port it actually bound, then heartbeats. */
@SpringBootTest(classes = StorageNodeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RegistrationOnStartTest {

    @TempDir
    static Path dataDir;

    /** Bodies of POST /internal/v1/nodes received by the fake coordinator. */
    static final List<String> registrations = new CopyOnWriteArrayList<>();

    static final DisposableServer coordinator = HttpServer.create().host("127.0.0.1").port(0)
            .route(routes -> routes.post("/internal/v1/nodes", (request, response) -> request.receive().aggregate()
                    .asString().flatMap(body -> {
                        registrations.add(body);
                        return Mono.empty();
                    })
                    .then(response.header("Content-Type", "application/json")
                            .sendString(Mono.just("{\"id\":\"storage-7\",\"address\":\"x\",\"state\":\"ACTIVE\","
                                    + "\"registered_at\":\"2024-07-01T12:00:00Z\"}")).then())))
            .bindNow();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("timberdb.data-dir", () -> dataDir.toString());
        registry.add("timberdb.node-id", () -> "storage-7");
        registry.add("timberdb.coordinators", () -> "http://127.0.0.1:" + coordinator.port());
        registry.add("timberdb.storage.heartbeat-interval", () -> "200ms");
    }

    @AfterAll
    static void stopCoordinator() {
        coordinator.disposeNow();
    }

    @LocalServerPort
    int port;

    @Autowired
    NodeRegistration registration;

    @Test
    void registersWithTheBoundPortAndHeartbeats() {
        await().atMost(Duration.ofSeconds(20)).until(() -> registrations.size() >= 3);
        assertThat(registrations.get(0)).contains("\"id\":\"storage-7\"")
                .contains("\"address\":\"http://127.0.0.1:" + port + "\"");
        assertThat(registration.registered()).isTrue();
    }
}
