package io.timberdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * TDB-05's fault tests on a local cluster of processes (3 coordinators, 3 storage nodes, then a
 * 4th): each runs the set workload ({@link SetWorkload}: writers that record every acknowledged
 * entry id) through the ingest service into a fresh partition of 4 shards with 3 replicas and a
 * minimum ISR of 2, injects one fault under that load, lets the cluster recover (every shard's
 * replicas back in sync), and then checks every replica ({@link ReplicaCheck}): lost = 0,
 * duplicated = 0, divergent in-sync replicas = 0. Each prints the checker's line, the error rate
 * and the longest write stall, and appends them to {@code target/replication-faults.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationFaultIT {

    static final LocalCluster CLUSTER = new LocalCluster(ServiceProcess.ROOT.resolve("e2e-tests/target/cluster-faults"),
            2000);
    static final Path REPORT = ServiceProcess.ROOT.resolve("e2e-tests/target/replication-faults.md");
    static final Duration STEADY = Duration.ofSeconds(4);

    @BeforeAll
    static void up() throws Exception {
        CLUSTER.start();
        Files.writeString(REPORT, "| fault | checker | requests | error rate | longest write stall |\n|---|---|---:|---:|---:|\n");
    }

    @AfterAll
    static void down() throws Exception {
        CLUSTER.launcher("cluster", "down");
    }

    /** A fault injected under load; it tells what it did, for the report. */
    @FunctionalInterface
    interface Fault {
        String inject(String partition, SetWorkload load) throws Exception;
    }

    /**
     * The shape of every fault test: a fresh partition, the set workload on it for a steady
     * stretch, the fault (the stall clock restarted first), every replica back in sync, a little
     * more load, then the checker's report and its assertions.
     */
    private void underLoad(String name, Fault fault) throws Exception {
        String partition = createPartition(name);
        try (SetWorkload load = workload(partition)) {
            load.start();
            keepLoading(STEADY);
            load.resetStall();
            String what = fault.inject(partition, load);
            awaitAllInSync(partition);
            keepLoading(Duration.ofSeconds(2));
            load.close();
            report(what, partition, load);
        }
    }

    /** Lets the writers run for {@code stretch}: a span of load, not a wait for a condition. */
    private static void keepLoading(Duration stretch) throws InterruptedException {
        Thread.sleep(stretch.toMillis());
    }

    @Test
    @Order(1)
    void aStorageNodeKilledUnderIngestLosesNothingAndRejoinsTheIsr() throws Exception {
        underLoad("fault-kill-storage", (partition, load) -> {
            String victim = leaderOfShard(partition, 0);
            kill(victim, "KILL");
            keepLoading(Duration.ofSeconds(8));
            assertThat(load.acknowledged()).as("ingest went on while the node was down").isNotEmpty();
            assertThat(CLUSTER.up()).contains("TimberDB cluster is up"); // the killed node returns
            return "kill -9 of storage node " + victim + " (leader of shard 0)";
        });
    }

    @Test
    @Order(2)
    void theCoordinatorLeaderKilledUnderIngestLosesNothing() throws Exception {
        underLoad("fault-kill-coordinator", (partition, load) -> {
            String leader = coordinatorView().path("coordinator").path("leader").asString();
            kill(leader, "KILL");
            keepLoading(Duration.ofSeconds(8));
            assertThat(CLUSTER.up()).contains("TimberDB cluster is up");
            return "kill -9 of the coordinator leader " + leader;
        });
    }

    @Test
    @Order(3)
    void aFourthStorageNodeAddedUnderIngestTakesReplicasWithoutLoss() throws Exception {
        underLoad("fault-scale-out", (partition, load) -> {
            assertThat(CLUSTER.up("--storage-nodes", "4")).contains("storage-4");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> replicasOn("storage-4") > 0);
            awaitAllInSync(partition);
            int moved = replicasOn("storage-4");
            assertThat(moved).isPositive();
            return "a 4th storage node added (" + moved + " replicas moved onto it)";
        });
    }

    @Test
    @Order(4)
    void aFrozenShardLeaderIsFencedAndNeverServesDivergentData() throws Exception {
        underLoad("fault-freeze-leader", (partition, load) -> {
            String victim = leaderOfShard(partition, 0);
            long epochBefore = shardEpoch(partition, 0);
            kill(victim, "STOP");
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> !leaderOfShard(partition, 0).equals(victim));
                keepLoading(Duration.ofSeconds(3));
            } finally {
                kill(victim, "CONT");
            }
            assertThat(shardEpoch(partition, 0)).isGreaterThan(epochBefore);
            return "SIGSTOP of storage node " + victim + " (leader of shard 0) past the failover timeout, then SIGCONT";
        });
    }

    private static SetWorkload workload(String partition) {
        return new SetWorkload(CLUSTER.url(7831) + "/api/v1/partitions/" + partition + "/logs", 2, 50,
                Duration.ofMinutes(4));
    }

    private static String createPartition(String name) throws Exception {
        QuickStart api = new QuickStart(CLUSTER.gateway());
        JsonNode created = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> api.postAny("/api/v1/partitions", "{\"name\":\"" + name + "\",\"shard_count\":4,"
                        + "\"replication_factor\":3,\"min_insync_replicas\":2}"), p -> p.path("id").isString());
        String id = created.path("id").asString();
        awaitAllInSync(id);
        return id;
    }

    /** Waits until every shard of the partition has all its replicas in sync and no move in flight. */
    private static void awaitAllInSync(String partition) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    for (JsonNode shard : partitionOf(coordinatorView(), partition).path("shards")) {
                        if (shard.path("isr").size() != shard.path("replicas").size()
                                || shard.path("removing").size() > 0) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private void report(String fault, String partition, SetWorkload load) throws Exception {
        String token = Files.readString(CLUSTER.dir().resolve("cluster-token")).trim();
        ReplicaCheck.Result result = ReplicaCheck.check(coordinatorView(), partition, load.acknowledged(), token);
        String line = String.format("| %s | %s | %d | %.2f%% | %d ms |%n", fault, result, load.requests(),
                100 * load.errorRate(), load.longestStall().toMillis());
        System.out.print("fault test: " + line);
        Files.writeString(REPORT, line, StandardOpenOption.APPEND);
        assertThat(result.acknowledged()).isPositive();
        assertThat(result.lost()).as("lost").isZero();
        assertThat(result.duplicated()).as("duplicated").isZero();
        assertThat(result.divergent()).as("divergent in-sync replicas").isZero();
    }

    private static JsonNode coordinatorView() throws Exception {
        Exception last = null;
        for (int port : new int[] {7801, 7802, 7803}) {
            try {
                return new QuickStart(CLUSTER.url(port)).get("/api/v1/cluster?consistent=true", 200);
            } catch (Exception | AssertionError e) {
                last = e instanceof Exception ex ? ex : new IllegalStateException(e);
            }
        }
        throw last;
    }

    private static JsonNode partitionOf(JsonNode view, String id) {
        for (JsonNode p : view.path("partitions")) {
            if (p.path("id").asString().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("no partition " + id + " in the view");
    }

    private static String leaderOfShard(String partition, int shard) throws Exception {
        return partitionOf(coordinatorView(), partition).path("shards").get(shard).path("node").asString();
    }

    private static long shardEpoch(String partition, int shard) throws Exception {
        return partitionOf(coordinatorView(), partition).path("shards").get(shard).path("epoch").asLong();
    }

    private static int replicasOn(String node) throws Exception {
        int count = 0;
        for (JsonNode p : coordinatorView().path("partitions")) {
            for (JsonNode shard : p.path("shards")) {
                for (JsonNode r : shard.path("isr")) {
                    count += r.asString().equals(node) ? 1 : 0;
                }
            }
        }
        return count;
    }

    /** Sends a signal to a process of the cluster ({@code KILL}, {@code STOP}, {@code CONT}). */
    private static void kill(String nodeId, String signal) throws IOException, InterruptedException {
        long pid = CLUSTER.pid(nodeId);
        Process p = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        if (signal.equals("KILL")) {
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
        }
    }
}
