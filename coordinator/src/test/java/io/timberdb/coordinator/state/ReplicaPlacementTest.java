package io.timberdb.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.cluster.StorageNode.State;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaPlacementTest {

    @Test
    void threeNodesWithReplicationFactorThreeHoldEveryShardAndTakeTurnsLeading() {
        ClusterLayout layout = new ClusterLayout(Layouts.activeNodes(3, 0), List.of());

        List<ShardAssignment> shards = ReplicaPlacement.place(layout, "p", 3, 3);

        assertThat(shards).extracting(ShardAssignment::replicas).containsExactly(
                List.of("storage-1", "storage-2", "storage-3"),
                List.of("storage-2", "storage-1", "storage-3"),
                List.of("storage-3", "storage-1", "storage-2"));
    }

    @Test
    void replicasGoToDistinctZonesAndOnlyToActiveNodes() {
        List<PlacementNode> nodes = List.of(
                new PlacementNode("storage-1", "a", State.ACTIVE),
                new PlacementNode("storage-2", "a", State.ACTIVE),
                new PlacementNode("storage-3", "b", State.DRAINING),
                new PlacementNode("storage-4", "b", State.ACTIVE),
                new PlacementNode("storage-5", "c", State.JOINING));

        List<ShardAssignment> shards = ReplicaPlacement.place(new ClusterLayout(nodes, List.of()), "p", 2, 2);

        assertThat(shards).extracting(ShardAssignment::replicas).containsExactly(
                List.of("storage-1", "storage-4"),
                List.of("storage-2", "storage-4"));
    }

    @Test
    void theNewPartitionsOwnReplicasComeFirstThenReplicaCountThenBytesThenNodeId() {
        List<PlacementNode> nodes = Layouts.activeNodes(3, 0);
        ClusterLayout layout = new ClusterLayout(nodes, List.of(
                new ShardAssignment("old", 0, List.of("storage-1"), 10),
                new ShardAssignment("old", 1, List.of("storage-2"), 5)));

        List<ShardAssignment> shards = ReplicaPlacement.place(layout, "p", 4, 1);

        // Empty storage-3 first; then the nodes without a shard of "p", fewer bytes first; then all
        // hold one of "p" and storage-3 has the fewest replicas.
        assertThat(shards).extracting(ShardAssignment::leader)
                .containsExactly("storage-3", "storage-2", "storage-1", "storage-3");
    }

    @Test
    void fewerActiveNodesThanTheReplicationFactorIsRejectedWithTheNumbers() {
        List<PlacementNode> nodes = Layouts.withState(Layouts.activeNodes(3, 0), 2, State.DEAD);

        assertThatThrownBy(() -> ReplicaPlacement.place(new ClusterLayout(nodes, List.of()), "p", 1, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("replication factor 3 needs 3 active nodes, but only 2 of 3 nodes are active");
    }

    @Test
    void aPartitionThatIsPlacedAlreadyIsRejected() {
        ClusterLayout layout = new ClusterLayout(Layouts.activeNodes(1, 0),
                List.of(new ShardAssignment("p", 0, List.of("storage-1"), 0)));

        assertThatThrownBy(() -> ReplicaPlacement.place(layout, "p", 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partition p is placed already");
    }
}
