package io.timberdb.storage.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.shard.ShardQuery;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged entry survives kill -9: a child JVM appends and prints what was acknowledged,
 * is killed with SIGKILL mid-stream, and every printed id must be in the reopened store.
 */
class KillDurabilityTest {

    private static final int ACKS_BEFORE_KILL = 2000;

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedEntrySurvivesAKill9() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, AppendingChild.class.getName(), dataDir.toString())
                .redirectErrorStream(true);
        builder.environment().put("CLASSPATH", "");
        Set<String> acked = ConcurrentHashMap.newKeySet();
        StringBuilder otherOutput = new StringBuilder();
        Process child = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith(AppendingChild.ACK) && line.endsWith(AppendingChild.END)) {
                        acked.add(line.substring(AppendingChild.ACK.length(), line.length() - AppendingChild.END.length()));
                    } else if (otherOutput.length() < 20_000) {
                        synchronized (otherOutput) {
                            otherOutput.append(line).append('\n');
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // the pipe closes when the child dies
            }
        }, "child-stdout");
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(120))
                    .failFast("the child exited: " + otherOutput, () -> !child.isAlive())
                    .until(() -> acked.size() >= ACKS_BEFORE_KILL);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        try (ShardStore reopened = new ShardStore(dataDir)) {
            Set<String> stored = reopened.query(AppendingChild.SHARD, new ShardQuery(QueryFilter.ALL, Integer.MAX_VALUE))
                    .block(Duration.ofSeconds(60)).entries().stream()
                    .map(LogEntry::id).collect(Collectors.toSet());
            assertThat(acked).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
            assertThat(stored).containsAll(acked);
        }
    }
}
