package io.timberdb.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.timberdb.coordinator.api.RaftClusterViewSource;
import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.Result;
import io.timberdb.coordinator.state.VoterAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Voters added and removed at runtime (jraft's addPeer/removePeer) and the voter directory. */
class RuntimeVotersIT {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aNewVoterIsBroughtUpToDateBySnapshotInstall() throws Exception {
        // a snapshot every 5 entries and none by time: the leader's log is compacted within the test
        MetadataGroup.Settings settings = RaftTestCluster.settings(Duration.ofMinutes(30), 5);
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir, settings)) {
            MetadataGroup leader = cluster.awaitLeaderWithStorageNodes(1);
            for (int i = 0; i < 20; i++) {
                create(leader, i);
            }
            String leaderId = leader.self().id();
            await("the leader's log compacted").atMost(Duration.ofSeconds(60))
                    .until(() -> cluster.firstLogIndex(leaderId) > 1);

            MetadataGroup added = cluster.addVoter("coordinator-4");

            await().atMost(Duration.ofSeconds(60)).until(() -> added.view().version() == leader.view().version());
            assertThat(added.view()).isEqualTo(leader.view());
            assertThat(added.view().partitions()).hasSize(20);
            assertThat(cluster.snapshotsLoaded("coordinator-4")).as("installed from the leader's snapshot").isPositive();
            assertThat(leader.voterIds()).containsExactlyInAnyOrder("coordinator-1", "coordinator-2", "coordinator-3",
                    "coordinator-4");
            // every voter knows every voter's URL from the replicated directory
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.running().stream()
                    .allMatch(g -> g.voters().size() == 4));
            assertThat(added.voters()).containsExactlyInAnyOrderElementsOf(cluster.voters());
            // and the group commits with the new voter in it
            create(cluster.awaitLeader(), 20);
            await().atMost(Duration.ofSeconds(30)).until(() -> added.view().partition("p-20").isPresent());
        }
    }

    @Test
    void afterAVoterIsRemovedTheGroupGoesOnWithTheRestAndTheViewListsThem() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup leader = cluster.awaitLeaderWithStorageNodes(1);
            String removed = cluster.followers().get(0).self().id();

            cluster.removeVoter(removed);

            MetadataGroup current = cluster.awaitLeader();
            assertThat(current.voterIds()).hasSize(2).doesNotContain(removed);
            assertThat(new RaftClusterViewSource(current).current().coordinator().voters())
                    .containsExactlyInAnyOrderElementsOf(current.voterIds());
            create(current, 1);
            String other = cluster.followers().get(0).self().id();
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.group(other).view().partition("p-1").isPresent());
            for (MetadataGroup voter : cluster.running()) {
                assertThat(voter.voterIds()).containsExactlyInAnyOrderElementsOf(current.voterIds());
            }
        }
    }

    @Test
    void theLeaderCanRemoveItselfAndAnotherTakesOver() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            String old = cluster.awaitLeader().self().id();

            cluster.removeVoter(old);

            MetadataGroup successor = cluster.awaitLeader();
            assertThat(successor.self().id()).isNotEqualTo(old);
            assertThat(successor.voterIds()).hasSize(2).doesNotContain(old);
            successor.propose(new Command.RegisterNode("storage-1", "http://127.0.0.1:17821", T0)).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void changesAreRefusedOnAFollowerAndForUnknownOrConflictingVoters() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup leader = cluster.awaitLeader();
            MetadataGroup follower = cluster.followers().get(0);
            Voter stranger = new Voter("coordinator-9", "127.0.0.1", RaftTestCluster.freePort(), URI.create("http://127.0.0.1:1"));
            Voter taken = new Voter("coordinator-9", "127.0.0.1", follower.self().raftPort(), URI.create("http://127.0.0.1:1"));
            Voter moved = new Voter(follower.self().id(), "127.0.0.1", RaftTestCluster.freePort(), URI.create("http://127.0.0.1:1"));

            assertFails(follower.addVoter(stranger), NotLeaderException.class, "not the metadata leader");
            assertFails(follower.removeVoter("coordinator-1"), NotLeaderException.class, "not the metadata leader");
            assertFails(leader.removeVoter("coordinator-9"), MembershipException.class, "no voter");
            assertFails(leader.addVoter(taken), MembershipException.class, "belongs to voter " + follower.self().id());
            assertFails(leader.addVoter(moved), MembershipException.class, "is already a voter");
            assertThat(leader.voterIds()).hasSize(3);
        }
    }

    @Test
    void reAddingACurrentVoterRecordsItsUrlInTheDirectory() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup leader = cluster.awaitLeader();
            Voter self = leader.self();

            leader.addVoter(self).get(30, TimeUnit.SECONDS);

            assertThat(leader.view().version()).as("the directory filled in for all three").isEqualTo(3);
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.running().stream()
                    .allMatch(g -> g.voters().equals(leader.voters())));
            leader.propose(new Command.RecordVoter(new VoterAddress(self.id(), self.raftAddress(), "http://127.0.0.1:9")))
                    .get(10, TimeUnit.SECONDS);
            MetadataGroup follower = cluster.followers().get(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> URI.create("http://127.0.0.1:9").equals(follower.leaderHttpUrl()));
        }
    }

    private static void assertFails(CompletableFuture<Void> change, Class<? extends Exception> type, String message) {
        assertThatThrownBy(() -> change.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(type).hasMessageContaining(message);
    }

    private static void create(MetadataGroup leader, int i) throws Exception {
        Result result = leader.propose(new Command.CreatePartition("id-" + i, "p-" + i, Map.of(), 7, T0, 1))
                .get(30, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(Result.PartitionCreated.class);
    }
}
