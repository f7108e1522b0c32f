package io.timberdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Nothing acknowledged is lost: kill -9 the standalone process after acknowledged writes, restart, read all back. */
class StandaloneKillNineIT {

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedEntrySurvivesKillNine() throws Exception {
        int port = ServiceProcess.freePort();
        String base = "http://127.0.0.1:" + port;
        Path log = ServiceProcess.ROOT.resolve("e2e-tests/target/logs/standalone-kill9.log");
        String[] args = {"--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + port};

        List<String> acknowledged = new ArrayList<>();
        ServiceProcess first = ServiceProcess.start("standalone", log, args).awaitHealthy(base + "/health", Duration.ofSeconds(90));
        QuickStart api = new QuickStart(base);
        api.post("/api/v1/partitions/create", "{\"name\":\"durable\"}", 200);
        for (int batch = 0; batch < 20; batch++) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 25; i++) {
                body.append(i == 0 ? "" : ",").append("{\"source\":\"host-").append(i % 5)
                        .append("\",\"tags\":{\"batch\":\"").append(batch).append("\"},\"message\":\"entry ")
                        .append(batch).append('-').append(i).append("\"}");
            }
            JsonNode ack = api.post("/api/v1/partitions/durable/logs", body.append(']').toString(), 200);
            ack.path("ids").forEach(id -> acknowledged.add(id.asString()));
        }
        first.killHard();

        try (ServiceProcess second = ServiceProcess.start("standalone", log, args).awaitHealthy(base + "/health", Duration.ofSeconds(90))) {
            JsonNode all = api.post("/api/v1/query/execute",
                    "{\"partitions\":[\"durable\"],\"filter\":{},\"limit\":10000}", 200);
            Set<String> stored = new HashSet<>();
            all.path("entries").forEach(e -> stored.add(e.path("id").asString()));
            assertThat(acknowledged).hasSize(500);
            assertThat(stored).containsAll(acknowledged);
            assertThat(all.path("matched_entries").asLong()).isEqualTo(500);
        }
    }

    @Test
    void aGracefulStopSealsEverythingAndTheNextStartReplaysNothing() throws Exception {
        int port = ServiceProcess.freePort();
        String base = "http://127.0.0.1:" + port;
        Path log = ServiceProcess.ROOT.resolve("e2e-tests/target/logs/standalone-sigterm.log");
        String[] args = {"--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + port};
        QuickStart api = new QuickStart(base);
        try (ServiceProcess first = ServiceProcess.start("standalone", log, args).awaitHealthy(base + "/health", Duration.ofSeconds(90))) {
            api.post("/api/v1/partitions/create", "{\"name\":\"sealed\"}", 200);
            api.post("/api/v1/partitions/sealed/logs", "[{\"source\":\"a\",\"message\":\"one\"},{\"source\":\"b\",\"message\":\"two\"}]", 200);
            assertThat(first.stop()).as("exit status after SIGTERM").isIn(0, 143);
        }
        try (var files = java.nio.file.Files.walk(dataDir.resolve("storage"))) {
            List<String> names = files.map(p -> dataDir.relativize(p).toString()).toList();
            assertThat(names).anyMatch(n -> n.endsWith(".blk")).noneMatch(n -> n.endsWith(".wal"));
        }
        try (ServiceProcess second = ServiceProcess.start("standalone", log, args).awaitHealthy(base + "/health", Duration.ofSeconds(90))) {
            JsonNode all = api.post("/api/v1/query/execute", "{\"partitions\":[\"sealed\"],\"filter\":{}}", 200);
            assertThat(all.path("matched_entries").asLong()).isEqualTo(2);
            assertThat(api.get("/health", 200).path("details").path("storage").path("blocks").asInt()).isEqualTo(1);
        }
    }
}
