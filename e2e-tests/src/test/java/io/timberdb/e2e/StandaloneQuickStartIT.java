package io.timberdb.e2e;

import static io.timberdb.e2e.QuickStart.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The standalone jar, started as {@code ./timberdb up} starts it: the quick start and the API's errors. */
class StandaloneQuickStartIT {

    @TempDir
    static Path dataDir;

    static ServiceProcess standalone;
    static QuickStart api;

    @BeforeAll
    static void start() throws Exception {
        int port = ServiceProcess.freePort();
        standalone = ServiceProcess.start("standalone", ServiceProcess.ROOT.resolve("e2e-tests/target/logs/standalone-quickstart.log"),
                "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:" + port, "--node-id", "e2e-standalone")
                .awaitHealthy("http://127.0.0.1:" + port + "/health", Duration.ofSeconds(90));
        api = new QuickStart("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(standalone.stop()).as("exit status after SIGTERM").isIn(0, 143);
    }

    @Test
    void theSpecQuickStartAnswersAsTheSpecShows() {
        api.run();
        JsonNode health = api.get("/health", 200);
        assertThat(health.path("node_id").asString()).isEqualTo("e2e-standalone");
        assertThat(health.path("role").asString()).isEqualTo("standalone");
    }

    @Test
    void acceptsArraysAndNdjsonAndThePartitionName() {
        JsonNode created = api.post("/api/v1/partitions",
                "{\"name\":\"batch-test\",\"compression\":\"zstd\",\"compression_level\":9}", 201);
        assertThat(created.path("compression").asString()).isEqualTo("Zstd");
        assertThat(created.path("compression_level").asInt()).isEqualTo(9);
        JsonNode array = api.post("/api/v1/partitions/batch-test/logs",
                "[{\"source\":\"a\",\"message\":\"one\"},{\"source\":\"b\",\"message\":\"two\","
                        + "\"timestamp\":\"2026-01-02T03:04:05Z\"}]", 200);
        assertThat(array.path("ids").size()).isEqualTo(2);
        JsonNode ndjson = api.postAs("/api/v1/partitions/batch-test/logs", "application/x-ndjson",
                "{\"source\":\"a\",\"message\":\"three\"}\n\n{\"source\":\"c\",\"message\":\"four\"}\n", 200);
        assertThat(ndjson.path("ids").size()).isEqualTo(2);

        JsonNode all = api.post("/api/v1/query/execute", "{\"partitions\":[\"batch-test\"],\"filter\":{}}", 200);
        assertThat(all.path("matched_entries").asLong()).isEqualTo(4);
        assertThat(all.path("entries").get(3).path("timestamp").asString()).isEqualTo("2026-01-02T03:04:05Z");
        JsonNode status = api.get("/api/v1/query/" + all.path("id").asString() + "/status", 200);
        assertThat(status.path("state").asString()).isEqualTo("succeeded");
        assertThat(status.path("matched_entries").asLong()).isEqualTo(4);
        JsonNode one = api.get("/api/v1/partitions/batch-test", 200);
        assertThat(api.get("/api/v1/partitions/" + one.path("id").asString(), 200).path("name").asString())
                .isEqualTo("batch-test");
        assertThat(api.get("/api/v1/partitions", 200).path("partitions").size()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theQueryLanguageAnswersEntriesAggregatesPlansAndSyntaxErrors() {
        api.post("/api/v1/partitions", "{\"name\":\"lang-test\"}", 201);
        api.post("/api/v1/partitions/lang-test/logs",
                "[{\"source\":\"web-01\",\"tags\":{\"sev\":\"high\"},\"message\":\"Connection reset by peer\","
                        + "\"timestamp\":\"2026-01-02T03:04:05Z\"},"
                        + "{\"source\":\"web-02\",\"tags\":{\"sev\":\"low\"},\"message\":\"GET / 200\","
                        + "\"timestamp\":\"2026-01-02T03:04:06Z\"},"
                        + "{\"source\":\"web-01\",\"tags\":{\"sev\":\"high\"},\"message\":\"disk full\","
                        + "\"timestamp\":\"2026-01-02T03:04:07Z\"}]", 200);

        JsonNode errors = api.post("/api/v1/query", "{\"query\":\"SELECT * FROM \\\"lang-test\\\" "
                + "WHERE sev = 'high' AND message MATCHES 'reset OR full' LIMIT 1\"}", 200);
        assertThat(errors.path("matched_entries").asLong()).isEqualTo(2);
        assertThat(errors.path("entries").size()).isEqualTo(1);
        assertThat(errors.path("entries").get(0).path("message").asString()).isEqualTo("disk full");

        JsonNode counts = api.post("/api/v1/query", "{\"query\":\"SELECT source, count(*) FROM \\\"lang-test\\\" "
                + "GROUP BY source ORDER BY count(*) DESC\"}", 200);
        assertThat(counts.path("columns").toString()).isEqualTo("[\"source\",\"count(*)\"]");
        assertThat(counts.path("rows").toString()).isEqualTo("[[\"web-01\",2],[\"web-02\",1]]");

        JsonNode plan = api.post("/api/v1/query", "{\"query\":\"EXPLAIN SELECT * FROM * WHERE source = 'web-01'\"}", 200);
        assertThat(plan.path("plan").path("total").has("pages_pruned")).isTrue();

        JsonNode syntax = api.post("/api/v1/query", "{\"query\":\"SELECT * FROM x\\nWHERE\"}", 400);
        assertProblem(syntax, "QUERY_SYNTAX", "query");
        assertThat(syntax.path("line").asInt()).isEqualTo(2);
    }

    @Test
    void badInputGetsAProblemDetailAndChangesNothing() {
        api.post("/api/v1/partitions", "{\"name\":\"errors-test\"}", 201);
        String logs = "/api/v1/partitions/errors-test/logs";

        assertProblem(api.post("/api/v1/partitions/no-such-partition/logs", "{\"source\":\"a\",\"message\":\"m\"}", 404),
                "PARTITION_NOT_FOUND", null);
        assertProblem(api.get("/api/v1/partitions/no-such-partition", 404), "PARTITION_NOT_FOUND", null);
        assertProblem(api.post(logs, "{\"source\": \"a\", ", 400), "MALFORMED_JSON", null);
        assertProblem(api.post(logs, "[{\"source\":\"a\",\"message\":\"ok\"},{\"source\":\"b\"}]", 400),
                "MISSING_FIELD", "[1].message");
        assertProblem(api.post(logs, "{\"message\":\"m\"}", 400), "MISSING_FIELD", "source");
        assertProblem(api.post(logs, "{\"source\":\"a\",\"message\":\"m\",\"timestamp\":\"yesterday\"}", 400),
                "INVALID_FIELD", "timestamp");
        assertProblem(api.post("/api/v1/partitions/create", "{\"tags\":{}}", 400), "MISSING_FIELD", "name");
        assertProblem(api.post("/api/v1/partitions/create", "{\"name\":\"x\",\"compression\":\"brotli\"}", 400),
                "INVALID_FIELD", "compression");
        assertProblem(api.post("/api/v1/partitions/create", "{\"name\":\"errors-test\"}", 409), "PARTITION_EXISTS", null);
        assertProblem(api.send("DELETE", "/api/v1/query/execute", null, 405), "METHOD_NOT_ALLOWED", null);
        assertProblem(api.post(logs, "{\"source\":\"a\",\"message\":\"" + "x".repeat(17 * 1024 * 1024) + "\"}", 413),
                "PAYLOAD_TOO_LARGE", null);
        assertProblem(api.get("/api/v1/no-such-route", 404), "NOT_FOUND", null);
        assertProblem(api.get("/api/v1/query/no-such-query/status", 404), "QUERY_NOT_FOUND", null);

        JsonNode stored = api.post("/api/v1/query/execute", "{\"partitions\":[\"errors-test\"],\"filter\":{}}", 200);
        assertThat(stored.path("matched_entries").asLong()).as("rejected requests store nothing").isZero();
    }
}
