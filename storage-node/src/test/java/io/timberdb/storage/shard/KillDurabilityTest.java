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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged entry survives kill -9, again and again: in each round a child JVM appends from
 * four threads (its shard sealing a block every 500 entries) and prints what was acknowledged, is
 * killed with SIGKILL mid-stream, and the reopened store must hold every entry acknowledged in any
 * round so far, each exactly once.
 */
class KillDurabilityTest {

    private static final int ROUNDS = 4;
    private static final int ACKS_PER_ROUND = 2000;

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedEntrySurvivesRepeatedKill9sAndNoneIsStoredTwice() throws Exception {
        Set<String> acked = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < ROUNDS; round++) {
            int before = acked.size();
            killChildAfter(round, acked, before + ACKS_PER_ROUND);

            try (ShardStore reopened = new ShardStore(dataDir, AppendingChild.ROTATION)) {
                List<LogEntry> stored = reopened.query(AppendingChild.SHARD, new ShardQuery(QueryFilter.ALL, Integer.MAX_VALUE))
                        .block(Duration.ofSeconds(60)).entries();
                Set<String> ids = stored.stream().map(LogEntry::id).collect(Collectors.toSet());
                assertThat(ids).as("round %d: no entry twice", round).hasSize(stored.size());
                assertThat(ids).as("round %d: every acknowledged entry", round).containsAll(acked);
                System.out.printf("kill -9 round %d: %,d entries acknowledged so far, %,d stored after the restart, "
                        + "none twice%n", round + 1, acked.size(), stored.size());
            }
        }
        try (var blocks = java.nio.file.Files.walk(dataDir)) {
            assertThat(blocks.filter(p -> p.toString().endsWith(ShardFiles.BLOCK_SUFFIX)).count())
                    .as("the kills happened while blocks were being sealed").isPositive();
        }
    }

    private void killChildAfter(int round, Set<String> acked, int target) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, AppendingChild.class.getName(), dataDir.toString(), Integer.toString(round))
                .redirectErrorStream(true);
        builder.environment().put("CLASSPATH", "");
        StringBuilder otherOutput = new StringBuilder();
        Process child = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith(AppendingChild.ACK) && line.endsWith(AppendingChild.END)) {
                        acked.add(line.substring(AppendingChild.ACK.length(), line.length() - AppendingChild.END.length()));
                    } else {
                        synchronized (otherOutput) {
                            if (otherOutput.length() < 20_000) {
                                otherOutput.append(line).append('\n');
                            }
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // the pipe closes when the child dies
            }
        }, "child-stdout");
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                if (!child.isAlive()) {
                    synchronized (otherOutput) {
                        throw new IllegalStateException("the child exited with " + child.exitValue() + ":\n" + otherOutput);
                    }
                }
                return acked.size() >= target;
            });
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    }
}
