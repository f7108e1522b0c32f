package io.timberdb.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.raft.RaftTestCluster;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read that must be current ({@code GET /api/v1/cluster?consistent=true}) is answered after a
 * Raft read index, and fails with 503 when there is no leader to confirm it, rather than answer a
 * local view that may lack a write the old leader acknowledged.
 */
class ConsistentReadIT {

    @TempDir
    Path dir;

    @Test
    void aConsistentReadWithoutALeaderFailsAsUnavailableAndTheLocalViewStaysReadable() {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup leader = cluster.awaitLeader();
            RaftClusterViewSource onLeader = new RaftClusterViewSource(leader);
            assertThat(onLeader.refresh().block(Duration.ofSeconds(10)).version()).isEqualTo(leader.view().version());

            MetadataGroup survivor = cluster.followers().get(0);
            for (MetadataGroup other : cluster.running().stream().filter(g -> g != survivor).toList()) {
                cluster.stop(other.self().id());
            }
            RaftClusterViewSource alone = new RaftClusterViewSource(survivor);

            assertThatThrownBy(() -> alone.refresh().block(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            assertThat(alone.current().version()).as("the local view is still there for who can use it")
                    .isEqualTo(survivor.view().version());
        }
    }
}
