package io.timberdb.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.Result;
import io.timberdb.model.api.Partition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A follower cut off from its peers by the fixture's proxy, while the others go on, then reconnected. */
class FollowerCutOffIT {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final int COMMANDS = 12;

    @TempDir
    Path dir;

    @Test
    void aFollowerCutOffWhileTheGroupCommitsCatchesUpOnceReconnected() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup leader = cluster.awaitLeader();
            leader.propose(new Command.RegisterNode("storage-1", "http://127.0.0.1:17821", T0)).get(10, TimeUnit.SECONDS);
            create(leader, 0);
            MetadataGroup follower = cluster.followers().get(0);
            String id = follower.self().id();
            await().atMost(Duration.ofSeconds(30)).until(() -> follower.view().equals(leader.view()));
            long versionBefore = follower.view().version();

            cluster.cutOff(id);
            // It stops hearing the leader: after an election timeout it no longer names one.
            await().atMost(Duration.ofSeconds(30)).until(() -> follower.leaderId() == null);
            for (int i = 1; i <= COMMANDS; i++) {
                create(leader, i); // committed by the two others
            }

            assertThat(leader.view().partitions()).hasSize(COMMANDS + 1);
            assertThat(follower.view().version()).as("nothing reached the cut-off follower").isEqualTo(versionBefore);
            assertThat(leader.isLeader()).as("its pre-votes did not disturb the leader").isTrue();

            cluster.reconnect(id);

            await().atMost(Duration.ofSeconds(60)).until(() -> follower.view().version() == leader.view().version());
            assertThat(follower.view()).isEqualTo(leader.view());
            assertThat(follower.view().partitions()).extracting(Partition::name)
                    .containsExactly(java.util.stream.IntStream.rangeClosed(0, COMMANDS).mapToObj(i -> "p-" + i).toArray(String[]::new));
            await().atMost(Duration.ofSeconds(30)).until(() -> leader.self().id().equals(follower.leaderId()));
            assertThat(cluster.awaitLeader()).isSameAs(leader);
        }
    }

    private static void create(MetadataGroup leader, int i) throws Exception {
        Result result = leader.propose(new Command.CreatePartition("id-" + i, "p-" + i, Map.of(), 7, T0, 1))
                .get(30, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(Result.PartitionCreated.class);
    }
}
