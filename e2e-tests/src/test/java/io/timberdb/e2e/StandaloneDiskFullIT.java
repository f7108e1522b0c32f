package io.timberdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A full disk, for real: the standalone's data directory is a small tmpfs. Writes that do not
 * fit answer 507 {@code INSUFFICIENT_STORAGE} and store nothing; every write acknowledged before
 * is still there; once the file system grows (a remount with more room), writes succeed again.
 *
 * <p>Mounting needs root: CI runs as root ({@code CI=true} fails instead of skipping); elsewhere
 * the suite is skipped with a message.
 */
class StandaloneDiskFullIT {

    private Path mountPoint;
    private boolean mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", "-l", mountPoint.toString());
        }
    }

    @Test
    void aFullDiskAnswers507CorruptsNothingAndWritesResumeWhenSpaceReturns() throws Exception {
        mountPoint = Files.createTempDirectory("timberdb-diskfull");
        boolean canMount = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint.toString()) == 0;
        if ("true".equals(System.getenv("CI"))) {
            assertThat(canMount).as("CI runs as root and must run the disk-full suite").isTrue();
        }
        assumeTrue(canMount, "mounting a tmpfs needs root: the disk-full suite runs in CI");
        mounted = true;

        int port = ServiceProcess.freePort();
        String base = "http://127.0.0.1:" + port;
        try (ServiceProcess standalone = ServiceProcess.start("standalone",
                ServiceProcess.ROOT.resolve("e2e-tests/target/logs/standalone-diskfull.log"),
                "--data-dir", mountPoint.resolve("data").toString(), "--listen", "127.0.0.1:" + port)
                .awaitHealthy(base + "/health", Duration.ofSeconds(90))) {
            QuickStart api = new QuickStart(base);
            api.post("/api/v1/partitions/create", "{\"name\":\"full\"}", 200);

            List<String> acknowledged = new ArrayList<>();
            JsonNode refused = null;
            for (int batch = 0; batch < 200 && refused == null; batch++) { // 4 MB hold fewer than 200 batches
                JsonNode answer = api.postAny("/api/v1/partitions/full/logs", batch(batch));
                if (answer.has("ids")) {
                    answer.path("ids").forEach(id -> acknowledged.add(id.asString()));
                } else {
                    refused = answer;
                }
            }
            assertThat(refused).as("the disk filled up").isNotNull();
            assertThat(refused.path("status").asInt()).isEqualTo(507);
            assertThat(refused.path("code").asString()).isEqualTo("INSUFFICIENT_STORAGE");
            assertThat(acknowledged).isNotEmpty();
            assertThat(storedIds(api)).as("every acknowledged entry, and nothing refused").isEqualTo(new HashSet<>(acknowledged));

            assertThat(run("mount", "-o", "remount,size=64m", mountPoint.toString())).isZero();
            List<String> later = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                JsonNode answer = api.postAny("/api/v1/partitions/full/logs", batch(999));
                answer.path("ids").forEach(id -> later.add(id.asString()));
                return answer.has("ids");
            });
            Set<String> expected = new HashSet<>(acknowledged);
            expected.addAll(later);
            assertThat(storedIds(api)).isEqualTo(expected);
        }
    }

    private static String batch(int n) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            body.append(i == 0 ? "" : ",").append("{\"source\":\"host-").append(i % 3).append("\",\"message\":\"batch ")
                    .append(n).append(" entry ").append(i).append(' ').append("x".repeat(300)).append("\"}");
        }
        return body.append(']').toString();
    }

    private static Set<String> storedIds(QuickStart api) {
        JsonNode all = api.post("/api/v1/query/execute", "{\"partitions\":[\"full\"],\"filter\":{},\"limit\":100000}", 200);
        Set<String> ids = new HashSet<>();
        all.path("entries").forEach(e -> ids.add(e.path("id").asString()));
        assertThat(all.path("partial").asBoolean()).as("reads go on while writes fail: %s", all.path("error")).isFalse();
        assertThat(all.path("matched_entries").asLong()).as("no entry stored twice").isEqualTo(ids.size());
        return ids;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
