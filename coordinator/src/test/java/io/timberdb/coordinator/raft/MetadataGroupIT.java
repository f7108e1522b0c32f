package io.timberdb.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.Result;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataGroupIT {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void electsOneLeaderAndReplicatesAPartitionToEveryVoter() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup leader = cluster.awaitLeader();
            registerNodes(leader, 3);
            Partition created = create(leader, "p-1", "web-logs");

            assertThat(created.shards()).extracting(Partition.ShardPlacement::node)
                    .containsExactly("storage-1", "storage-2", "storage-3");
            awaitEverywhere(cluster, view -> view.partition("web-logs").isPresent());
            for (MetadataGroup voter : cluster.running()) {
                assertThat(voter.view().partitions()).containsExactly(created);
                assertThat(voter.view().version()).isEqualTo(leader.view().version());
                assertThat(voter.leaderId()).isEqualTo(leader.self().id());
                assertThat(voter.leaderHttpUrl()).isEqualTo(leader.self().httpUrl());
            }
        }
    }

    @Test
    void fiveVotersKeepCommittingWithTwoOfThemStopped() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(5, dir)) {
            MetadataGroup leader = cluster.awaitLeader();
            registerNodes(leader, 2);
            Partition first = create(leader, "p-1", "five-voters");
            awaitEverywhere(cluster, view -> view.partition("five-voters").isPresent());
            assertThat(cluster.running()).hasSize(5)
                    .allSatisfy(voter -> assertThat(voter.leaderId()).isEqualTo(leader.self().id()));

            cluster.followers().stream().limit(2).map(f -> f.self().id()).toList().forEach(cluster::stop);
            Partition second = create(leader, "p-2", "three-of-five");

            awaitEverywhere(cluster, view -> view.partition("three-of-five").isPresent());
            assertThat(cluster.running()).hasSize(3)
                    .allSatisfy(voter -> assertThat(voter.view().partitions()).containsExactlyInAnyOrder(first, second));
        }
    }

    @Test
    void aVoterSnapshotsOnceItHasAppliedTheThresholdOfEntries() throws Exception {
        Voter only = new Voter("c1", "127.0.0.1", RaftTestCluster.freePort(), URI.create("http://127.0.0.1:1"));
        Path data = dir.resolve("c1");
        // a 30-minute interval: only the threshold can take a snapshot within the test
        MetadataGroup.Settings settings = new MetadataGroup.Settings(RaftTestCluster.ELECTION_TIMEOUT,
                Duration.ofMillis(100), Duration.ofMinutes(30), 5);
        try (MetadataGroup group = MetadataGroup.start("c1", List.of(only), data, settings)) {
            await().atMost(Duration.ofSeconds(30)).until(group::isLeader);
            registerNodes(group, 6);
            await().atMost(Duration.ofSeconds(30)).until(() -> hasSnapshot(data));
        }
    }

    @Test
    void aHeartbeatIntervalOfMoreThanHalfTheElectionTimeoutIsRefused() {
        assertThatThrownBy(() -> new MetadataGroup.Settings(Duration.ofMillis(1500), Duration.ofMillis(800),
                MetadataGroup.DEFAULT_SNAPSHOT_INTERVAL, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most half the election timeout");
        assertThatThrownBy(() -> new MetadataGroup.Settings(Duration.ofMillis(1500), Duration.ZERO,
                MetadataGroup.DEFAULT_SNAPSHOT_INTERVAL, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
        assertThat(MetadataGroup.Settings.DEFAULTS.heartbeatInterval()).isEqualTo(Duration.ofMillis(150));
    }

    @Test
    void followerRefusesAProposalAtOnceNamingTheLeader() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup leader = cluster.awaitLeader();
            MetadataGroup follower = cluster.followers().get(0);

            CompletableFuture<Result> answer = follower.propose(new Command.RegisterNode("storage-1", "http://n1", T0));

            assertThat(answer).isCompletedExceptionally();
            assertThatThrownBy(answer::get).cause().isInstanceOfSatisfying(NotLeaderException.class, e -> {
                assertThat(e.leaderId()).isEqualTo(leader.self().id());
                assertThat(e.leaderHttpUrl()).isEqualTo(leader.self().httpUrl());
                assertThat(e.retryable()).isTrue();
            });
            assertThat(follower.role()).isEqualTo("follower");
            assertThat(leader.role()).isEqualTo("leader");
        }
    }

    @Test
    void electsANewLeaderWhenTheLeaderStopsAndKeepsTheState() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup leader = withAPartitionEverywhere(cluster, 2, "before");

            String old = leader.self().id();
            cluster.stop(old);
            MetadataGroup successor = cluster.awaitLeader();

            assertThat(successor.self().id()).isNotEqualTo(old);
            assertThat(successor.view().partition("before")).isPresent();
            create(successor, "p-2", "after");
            awaitEverywhere(cluster, view -> view.partition("after").isPresent());
        }
    }

    @Test
    void aFollowerCutOffWhileTheGroupCommitsCatchesUpOnceReconnected() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup leader = withAPartitionEverywhere(cluster, 3, "before-cut");
            MetadataGroup follower = cluster.followers().get(0);
            String id = follower.self().id();
            long versionBefore = follower.view().version();

            cluster.cutOff(id);
            // It stops hearing the leader: after an election timeout it no longer names one.
            await().atMost(Duration.ofSeconds(30)).until(() -> follower.leaderId() == null);
            for (int i = 1; i <= 12; i++) {
                create(leader, "cut-" + i, "while-cut-" + i); // committed by the two others
            }

            assertThat(leader.view().partitions()).hasSize(13);
            assertThat(follower.view().version()).as("nothing reached the cut-off follower").isEqualTo(versionBefore);
            assertThat(leader.isLeader()).as("its pre-votes did not disturb the leader").isTrue();

            cluster.reconnect(id);

            await().atMost(Duration.ofSeconds(60)).until(() -> follower.view().version() == leader.view().version());
            assertThat(follower.view()).isEqualTo(leader.view());
            assertThat(follower.view().partition("while-cut-12")).isPresent();
            await().atMost(Duration.ofSeconds(30)).until(() -> leader.self().id().equals(follower.leaderId()));
            assertThat(cluster.awaitLeader()).isSameAs(leader);
        }
    }

    @Test
    void restartedVoterRecoversItsStateFromDisk() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup leader = withAPartitionEverywhere(cluster, 3, "first");
            String id = cluster.followers().get(0).self().id();

            cluster.stop(id);
            create(cluster.awaitLeader(), "p-2", "while-down");
            MetadataGroup restarted = cluster.restart(id);

            await().atMost(Duration.ofSeconds(30)).until(() -> restarted.view().partition("while-down").isPresent());
            assertThat(restarted.view().partitions()).extracting(Partition::name).containsExactly("first", "while-down");
            assertThat(restarted.view().version()).isEqualTo(cluster.awaitLeader().view().version());
        }
    }

    @Test
    void wholeGroupRestartsFromSnapshotsAndLogs() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir, Duration.ofSeconds(1))) {
            MetadataGroup leader = withAPartitionEverywhere(cluster, 3, "snapshotted");
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.voters().stream()
                    .allMatch(v -> hasSnapshot(cluster.dataDir(v.id()))));
            create(cluster.awaitLeader(), "p-2", "in-log-only");
            awaitEverywhere(cluster, view -> view.partition("in-log-only").isPresent());
            long version = cluster.awaitLeader().view().version();

            cluster.voters().forEach(v -> cluster.stop(v.id()));
            cluster.voters().forEach(v -> cluster.restart(v.id()));

            cluster.awaitLeader();
            awaitEverywhere(cluster, view -> view.version() == version);
            assertThat(cluster.awaitLeader().view().partitions()).extracting(Partition::name)
                    .containsExactly("snapshotted", "in-log-only");
        }
    }

    @Test
    void raftServerListensOnlyOnTheConfiguredHost() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(1, dir)) {
            MetadataGroup voter = cluster.awaitLeader();
            int port = cluster.raftBindPort(voter.self().id()); // the server itself, not the fixture's proxy

            try (Socket ok = new Socket()) {
                ok.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
            // 127.0.0.2 is loopback too: a wildcard bind would accept it.
            assertThatThrownBy(() -> {
                try (Socket other = new Socket()) {
                    other.connect(new InetSocketAddress("127.0.0.2", port), 1000);
                }
            }).isInstanceOf(IOException.class);
        }
    }

    @Test
    void singleVoterKeepsItsPortAndStateAcrossRestarts() throws Exception {
        URI http = URI.create("http://127.0.0.1:" + RaftTestCluster.freePort());
        int port;
        try (MetadataGroup single = MetadataGroup.startSingle("development", dir, http, 0)) {
            await().atMost(Duration.ofSeconds(30)).until(single::isLeader);
            port = single.self().raftPort();
            registerNodes(single, 1);
            create(single, "p-1", "kept");
        }
        assertThat(Files.readString(dir.resolve(RaftPortFile.FILE_NAME)).strip()).isEqualTo(String.valueOf(port));

        try (MetadataGroup again = MetadataGroup.startSingle("development", dir, http, 0)) {
            await().atMost(Duration.ofSeconds(30)).until(again::isLeader);
            assertThat(again.self().raftPort()).isEqualTo(port);
            assertThat(again.leaderId()).isEqualTo("development");
            assertThat(again.view().partition("kept")).isPresent();
            assertThat(again.view().nodes()).hasSize(1);
            assertThat(again.syncedView().get(10, TimeUnit.SECONDS).partition("kept")).isPresent();
        }
    }

    private static void registerNodes(MetadataGroup leader, int count) throws Exception {
        for (int i = 1; i <= count; i++) {
            Result result = leader.propose(new Command.RegisterNode("storage-" + i, "http://127.0.0.1:1" + i, T0))
                    .get(10, TimeUnit.SECONDS);
            assertThat(result).isInstanceOf(Result.NodeRegistered.class);
        }
    }

    private static Partition create(MetadataGroup leader, String id, String name)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Result result = leader.propose(new Command.CreatePartition(id, name, Map.of("env", "test"), 7, T0, 3))
                .get(10, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(Result.PartitionCreated.class);
        return ((Result.PartitionCreated) result).partition();
    }

    /** Waits for the leader, registers {@code nodes} storage nodes, creates a partition and waits until every voter has it. */
    private static MetadataGroup withAPartitionEverywhere(RaftTestCluster cluster, int nodes, String name) throws Exception {
        MetadataGroup leader = cluster.awaitLeader();
        registerNodes(leader, nodes);
        create(leader, "p-1", name);
        awaitEverywhere(cluster, view -> view.partition(name).isPresent());
        return leader;
    }

    private static void awaitEverywhere(RaftTestCluster cluster, java.util.function.Predicate<ClusterView> condition) {
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.running().stream()
                .allMatch(g -> condition.test(g.view())));
    }

    private static boolean hasSnapshot(Path voterDir) {
        Path snapshots = voterDir.resolve("snapshot");
        if (!Files.isDirectory(snapshots)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(snapshots)) {
            return files.anyMatch(p -> p.getFileName().toString().equals("metadata.json"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // a snapshot directory being renamed while we look
        }
    }
}
