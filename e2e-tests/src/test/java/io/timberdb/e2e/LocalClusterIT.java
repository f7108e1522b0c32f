package io.timberdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./timberdb cluster up}: 3 coordinator voters, 3 storage nodes, ingest, query and the
 * gateway as separate processes on loopback; the quick start through the gateway; then
 * {@code cluster status} and {@code cluster down}. Ports are shifted by 1000 so that a cluster a
 * developer runs on the default ports is not disturbed.
 */
class LocalClusterIT {

    static final int OFFSET = 1000;
    static final Path CLUSTER_DIR = ServiceProcess.ROOT.resolve("e2e-tests/target/cluster");

    @BeforeAll
    static void up() throws Exception {
        launcher("cluster", "down"); // a cluster left over by an interrupted run
        if (Files.exists(CLUSTER_DIR)) {
            try (var files = Files.walk(CLUSTER_DIR)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        String started = launcher("cluster", "up", "--port-offset", String.valueOf(OFFSET));
        assertThat(started).contains("TimberDB cluster is up");
    }

    @AfterAll
    static void down() throws Exception {
        String out = launcher("cluster", "down");
        assertThat(out).contains("stopped 9 process(es)");
        try (var pids = Files.list(CLUSTER_DIR)) {
            assertThat(pids.filter(p -> p.toString().endsWith(".pid"))).isEmpty();
        }
    }

    @Test
    void theSpecQuickStartWorksThroughTheGateway() throws Exception {
        QuickStart api = new QuickStart("http://127.0.0.1:" + (7777 + OFFSET));
        api.run();

        JsonNode cluster = api.get("/api/v1/cluster", 200);
        assertThat(cluster.path("nodes").size()).isEqualTo(3);
        JsonNode partition = api.get("/api/v1/partitions/my-application-logs", 200);
        assertThat(partition.path("shards").size()).as("shards spread over the storage nodes").isEqualTo(3);

        // Errors through the gateway are the services' problem details; unknown routes the gateway's own.
        assertThat(api.post("/api/v1/partitions/nope/logs", "{\"source\":\"s\",\"message\":\"m\"}", 404)
                .path("code").asString()).isEqualTo("PARTITION_NOT_FOUND");
        assertThat(api.post("/api/v1/partitions/my-application-logs/logs", "{\"source\":\"s\"}", 400)
                .path("field").asString()).isEqualTo("message");
        assertThat(api.get("/api/v1/nope", 404).path("code").asString()).isEqualTo("NOT_FOUND");

        // Every process: Kubernetes probes and a Prometheus scrape.
        for (int port : new int[] {7777, 7801, 7802, 7803, 7821, 7822, 7823, 7831, 7841}) {
            QuickStart process = new QuickStart("http://127.0.0.1:" + (port + OFFSET));
            assertThat(process.get("/actuator/health/liveness", 200).path("status").asString()).isEqualTo("UP");
            assertThat(process.get("/actuator/health/readiness", 200).path("status").asString()).isEqualTo("UP");
            assertThat(process.text("/actuator/prometheus")).contains("jvm_memory_used_bytes", "http_server_requests");
        }

        String status = launcher("cluster", "status");
        assertThat(status).containsPattern("coordinator leader: coordinator-[123]");
        for (String node : new String[] {"coordinator-1", "coordinator-2", "coordinator-3", "storage-1", "storage-2",
                "storage-3", "ingest-1", "query-1", "gateway-1"}) {
            assertThat(status).containsPattern("(?m)^" + node + " .* UP$");
            assertThat(CLUSTER_DIR.resolve(node + ".pid")).exists();
        }
    }

    static String launcher(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = ServiceProcess.ROOT.resolve("timberdb").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(ServiceProcess.ROOT.toFile());
        pb.environment().put("TIMBERDB_CLUSTER_DIR", CLUSTER_DIR.toString());
        pb.environment().put("TIMBERDB_SKIP_BUILD", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("./timberdb %s printed:%n%s", String.join(" ", args), out).isZero();
        return out;
    }
}
