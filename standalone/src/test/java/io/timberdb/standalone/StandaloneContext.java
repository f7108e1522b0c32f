package io.timberdb.standalone;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole standalone engine in one process for a test class (no HTTP port; the Raft voter on
 * a free loopback port), with its data in a directory of the class's own. Public for the test
 * classes of the {@code security} package.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@AutoConfigureWebTestClient
public abstract class StandaloneContext {

    @TempDir
    protected static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("timberdb.data-dir", () -> dataDir.toString());
        registry.add("timberdb.standalone.raft-port", () -> "0");
    }

    @Autowired
    protected WebTestClient http;

    /** Creates the partition {@code name}, expecting 201. */
    protected void createPartition(String name) {
        http.post().uri("/api/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"" + name + "\"}").exchange().expectStatus().isCreated();
    }

    /**
     * Creates the partition {@code name} in {@code tenant} (with authentication off the
     * {@code X-Scope-OrgID} header names the caller's tenant), expecting 201.
     */
    protected void createPartition(String name, String tenant) {
        http.post().uri("/api/v1/partitions").header("X-Scope-OrgID", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"" + name + "\"}").exchange().expectStatus().isCreated();
    }

    /** Waits until the local storage node has registered and {@code /health} answers 200. */
    protected void awaitHealthy() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> http.get().uri("/health").exchange().expectStatus().isOk());
    }
}
