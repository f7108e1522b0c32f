package io.timberdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.images.builder.ImageFromDockerfile;
import tools.jackson.databind.JsonNode;

/**
 * The cluster as containers: the images are built by this suite from {@code docker/service.Dockerfile}
 * and the jars this build just made (on the base image {@code TIMBERDB_BASE_IMAGE}, default the
 * local {@code timberdb/base-jre:17} that {@code docker/prepare-docker.sh} makes from Debian
 * packages), then started as 3 coordinators, 3 storage nodes, ingest, query and the gateway on
 * the host network, on loopback, with ports shifted by 2000. The spec's quick start runs against
 * the gateway.
 *
 * <p>Under {@code CI=true} a missing Docker engine fails the suite; elsewhere it is skipped with
 * a message saying how to prepare Docker.
 */
class ContainerClusterIT {

    static final int OFFSET = 2000;
    static final String BASE_IMAGE = System.getenv().getOrDefault("TIMBERDB_BASE_IMAGE", "timberdb/base-jre:17");
    static final List<GenericContainer<?>> containers = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        boolean docker = DockerClientFactory.instance().isDockerAvailable();
        if ("true".equals(System.getenv("CI"))) {
            assertThat(docker).as("CI must run the container suite: run docker/prepare-docker.sh first").isTrue();
        }
        assumeTrue(docker, "no Docker engine: run `sudo docker/prepare-docker.sh` to run the container suite");

        Map<String, ImageFromDockerfile> images = new LinkedHashMap<>();
        Path dockerfile = ServiceProcess.ROOT.resolve("docker/service.Dockerfile");
        for (String module : List.of("coordinator", "storage-node", "ingest-service", "query-service", "gateway")) {
            // The context docker/build-images.sh sends too: the Dockerfile and the module's runnable jar.
            Path jar = ServiceProcess.jar(module);
            images.put(module, new ImageFromDockerfile("timberdb/" + module + ":e2e", false)
                    .withFileFromPath("Dockerfile", dockerfile)
                    .withFileFromPath("target/" + jar.getFileName(), jar)
                    .withBuildArg("BASE_IMAGE", BASE_IMAGE));
        }

        String coordinators = "";
        String voters = "";
        for (int i = 1; i <= 3; i++) {
            coordinators += (i > 1 ? "," : "") + "http://127.0.0.1:" + (7800 + i + OFFSET);
            voters += (i > 1 ? "," : "") + "coordinator-" + i + "@127.0.0.1:" + (7810 + i + OFFSET)
                    + "@http://127.0.0.1:" + (7800 + i + OFFSET);
        }
        for (int i = 1; i <= 3; i++) {
            start(images.get("coordinator"), "coordinator-" + i, 7800 + i + OFFSET, coordinators,
                    Map.of("TIMBERDB_COORDINATOR_VOTERS", voters));
        }
        for (int i = 1; i <= 3; i++) {
            int port = 7820 + i + OFFSET;
            start(images.get("storage-node"), "storage-" + i, port, coordinators,
                    Map.of("TIMBERDB_STORAGE_ADVERTISED_ADDRESS", "http://127.0.0.1:" + port));
        }
        start(images.get("ingest-service"), "ingest-1", 7831 + OFFSET, coordinators, Map.of());
        start(images.get("query-service"), "query-1", 7841 + OFFSET, coordinators, Map.of());
        start(images.get("gateway"), "gateway-1", 7777 + OFFSET, coordinators, Map.of(
                "TIMBERDB_GATEWAY_COORDINATORS", coordinators,
                "TIMBERDB_GATEWAY_INGEST_URL", "http://127.0.0.1:" + (7831 + OFFSET),
                "TIMBERDB_GATEWAY_QUERY_URL", "http://127.0.0.1:" + (7841 + OFFSET)));

        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            for (GenericContainer<?> c : containers) {
                if (!c.isRunning()) {
                    throw new IllegalStateException(c.getEnvMap().get("TIMBERDB_NODE_ID") + " exited:\n" + c.getLogs());
                }
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (7777 + OFFSET) + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static void start(ImageFromDockerfile image, String nodeId, int port, String coordinators, Map<String, String> env) {
        GenericContainer<?> c = new GenericContainer<>(image)
                .withNetworkMode("host")
                .withEnv("TIMBERDB_NODE_ID", nodeId)
                .withEnv("SERVER_ADDRESS", "127.0.0.1")
                .withEnv("SERVER_PORT", String.valueOf(port))
                .withEnv("TIMBERDB_COORDINATORS", coordinators)
                .withEnv("JAVA_TOOL_OPTIONS", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
                .withEnv(env)
                .withLogConsumer(new Slf4jLogConsumer(org.slf4j.LoggerFactory.getLogger(nodeId)));
        c.start();
        containers.add(c);
    }

    @AfterAll
    static void stopCluster() {
        for (int i = containers.size() - 1; i >= 0; i--) {
            containers.get(i).stop();
        }
    }

    @Test
    void theSpecQuickStartWorksAgainstTheContainers() {
        QuickStart api = new QuickStart("http://127.0.0.1:" + (7777 + OFFSET));
        api.run();
        JsonNode health = api.get("/health", 200);
        assertThat(health.path("node_id").asString()).isEqualTo("gateway-1");
        assertThat(health.path("details").path("storage_nodes").size()).isEqualTo(3);
        assertThat(health.path("details").path("coordinator_leader").asString()).startsWith("coordinator-");
    }
}
