package io.timberdb.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.coordinator.api.RaftNodeRegistry;
import io.timberdb.model.api.RegisterNodeRequest;
import io.timberdb.model.error.TimberException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the leader keeps of heartbeats: when each node was heard, and the shard sizes it reported. */
class NodeLivenessTest {

    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aShardWeighsTheMostAnyOfItsReplicasReportedAndAnEmptyReportKeepsTheLastOne() {
        NodeLiveness liveness = new NodeLiveness(CLOCK);
        liveness.heard("storage-1", Map.of("p-1/0", 900L, "p-1/1", 20L));
        liveness.heard("storage-2", Map.of("p-1/0", 300L));
        liveness.heard("storage-1", Map.of()); // a node that did not measure this time

        assertThat(liveness.shardBytes("p-1", 0)).isEqualTo(900);
        assertThat(liveness.shardBytes("p-1", 1)).isEqualTo(20);
        assertThat(liveness.shardBytes("p-2", 0)).isZero();
        assertThat(liveness.lastHeard("storage-2")).contains(CLOCK.instant());
    }

    @Test
    void aNegativeShardSizeIsRefusedNamingTheField() {
        RaftNodeRegistry registry = new RaftNodeRegistry(null, null, CLOCK);
        RegisterNodeRequest bad = new RegisterNodeRequest("storage-1", "http://127.0.0.1:7821", null, null,
                Map.of("p-1/0", -1L));

        assertThatThrownBy(() -> registry.register(bad).block())
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("shard_bytes"));
    }
}
