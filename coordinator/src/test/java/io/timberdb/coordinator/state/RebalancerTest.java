package io.timberdb.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.cluster.StorageNode.State;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RebalancerTest {

    private static final List<PlacementNode> THREE = Layouts.activeNodes(3, 0);

    /** Four shards, replication factor 3, on three nodes: four replicas each, leaders 2/1/1. */
    private static ClusterLayout fourShardsOnThreeNodes() {
        return new ClusterLayout(THREE, ReplicaPlacement.place(new ClusterLayout(THREE, List.of()), "p", 4, 3));
    }

    @Test
    void aBalancedClusterPlansNothing() {
        assertThat(Rebalancer.plan(fourShardsOnThreeNodes(), 10)).isEmpty();
    }

    @Test
    void aDeadLeaderHandsLeadershipToTheNextReplicaAndANewFollowerTakesItsPlace() {
        List<PlacementNode> nodes = Layouts.withState(Layouts.activeNodes(4, 0), 0, State.DEAD);
        ClusterLayout layout = new ClusterLayout(nodes,
                List.of(new ShardAssignment("p", 0, List.of("storage-1", "storage-2", "storage-3"), 100)));

        List<ReplicaMove> plan = Rebalancer.plan(layout, 10);

        assertThat(plan).containsExactly(new ReplicaMove("p", 0, "storage-1", "storage-4", true));
        assertThat(Rebalancer.apply(layout, plan).shards().get(0).replicas())
                .containsExactly("storage-2", "storage-3", "storage-4");
    }

    @Test
    void aFourthNodeJoiningTakesOneReplicaFromEachNodeAndNoLeadership() {
        List<PlacementNode> four = Layouts.activeNodes(4, 0);
        ClusterLayout layout = Layouts.withNodes(fourShardsOnThreeNodes(), four);

        List<ReplicaMove> plan = Rebalancer.plan(layout, 10);

        assertThat(plan).extracting(ReplicaMove::to).containsOnly("storage-4");
        assertThat(plan).extracting(ReplicaMove::from).containsExactlyInAnyOrder("storage-1", "storage-2", "storage-3");
        assertThat(plan).noneMatch(ReplicaMove::movesLeadership);
        assertThat(Layouts.replicaCounts(Rebalancer.apply(layout, plan), four))
                .isEqualTo(Map.of("storage-1", 3, "storage-2", 3, "storage-3", 3, "storage-4", 3));
    }

    @Test
    void movesInFlightCountAgainstTheBoundAndTheirShardsAreNotBalanced() {
        ClusterLayout grown = Layouts.withNodes(fourShardsOnThreeNodes(), Layouts.activeNodes(4, 0));
        List<ShardAssignment> shards = new java.util.ArrayList<>(grown.shards());
        // Shard 0 is moving a replica (copying, not cut yet): its staying replicas as planned.
        shards.set(0, new ShardAssignment("p", 0, shards.get(0).replicas(), 0, 1));
        ClusterLayout moving = new ClusterLayout(grown.nodes(), shards);

        assertThat(Rebalancer.plan(moving, 1)).as("the one move allowed is in flight").isEmpty();
        List<ReplicaMove> plan = Rebalancer.plan(moving, 10);
        assertThat(plan).isNotEmpty().noneMatch(move -> move.shard() == 0);
        assertThat(plan).extracting(ReplicaMove::key).doesNotHaveDuplicates();
    }

    @Test
    void aShardWithAMoveInFlightIsStillEvacuatedOffAGoneNode() {
        List<PlacementNode> nodes = Layouts.withState(Layouts.activeNodes(4, 0), 2, State.DEAD);
        ClusterLayout layout = new ClusterLayout(nodes,
                List.of(new ShardAssignment("p", 0, List.of("storage-1", "storage-3"), 0, 1)));

        List<ReplicaMove> plan = Rebalancer.plan(layout, 1);

        assertThat(plan).as("not counted as in flight: it waits for this evacuation")
                .containsExactly(new ReplicaMove("p", 0, "storage-3", "storage-2", false));
    }

    @Test
    void aRoundStopsAtMaxMovesAndTheNextRoundGoesOn() {
        ClusterLayout layout = Layouts.withNodes(fourShardsOnThreeNodes(), Layouts.activeNodes(4, 0));

        List<ReplicaMove> first = Rebalancer.plan(layout, 2);
        ClusterLayout after = Rebalancer.apply(layout, first);

        assertThat(first).hasSize(2);
        assertThat(Rebalancer.plan(after, 2)).hasSize(1);
        assertThat(Rebalancer.plan(Rebalancer.apply(after, Rebalancer.plan(after, 2)), 2)).isEmpty();
    }

    @Test
    void aReplicaWithNowhereToGoStaysAndJoiningNodesAreLeftAlone() {
        List<PlacementNode> nodes = List.of(
                new PlacementNode("storage-1", null, State.DEAD),
                new PlacementNode("storage-2", null, State.ACTIVE),
                new PlacementNode("storage-3", null, State.JOINING));
        ClusterLayout layout = new ClusterLayout(nodes,
                List.of(new ShardAssignment("p", 0, List.of("storage-1", "storage-2"), 0),
                        new ShardAssignment("p", 1, List.of("storage-3"), 0)));

        assertThat(Rebalancer.plan(layout, 10)).isEmpty();
    }

    @Test
    void replicasOnANodeMissingFromTheLayoutAreReHomed() {
        ClusterLayout layout = new ClusterLayout(THREE,
                List.of(new ShardAssignment("p", 0, List.of("storage-9"), 0)));

        assertThat(Rebalancer.plan(layout, 10)).containsExactly(new ReplicaMove("p", 0, "storage-9", "storage-1", true));
    }

    @Test
    void applyRejectsAMoveThatDoesNotFitTheLayout() {
        ClusterLayout layout = Layouts.withNodes(fourShardsOnThreeNodes(), Layouts.activeNodes(4, 0));

        assertThatThrownBy(() -> Rebalancer.apply(layout, List.of(new ReplicaMove("p", 0, "storage-4", "storage-1", false))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shard p/0 has no replica on storage-4");
        assertThatThrownBy(() -> Rebalancer.apply(layout, List.of(new ReplicaMove("p", 0, "storage-1", "storage-4", false))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit the layout");
    }
}
