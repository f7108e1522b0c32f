package io.timberdb.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.cluster.StorageNode.State;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model v2 in the state machine: replicas, partition updates and deletions, node states, moves and epochs. */
class ReplicaStateTest {

    private static final Instant T0 = Instant.parse("2025-03-15T10:30:00Z");

    private final MetadataState state = new MetadataState();

    @Test
    void placesReplicasOnDistinctNodesAndZonesWithTheLeaderFirstAtEpochOne() {
        registerInZone("storage-1", "a");
        registerInZone("storage-2", "a");
        registerInZone("storage-3", "b");

        Partition p = created(state.apply(create("p-1", "web", 4, 2)));

        assertThat(p.replicationFactor()).isEqualTo(2);
        assertThat(p.minInsyncReplicas()).isEqualTo(2);
        assertThat(p.tenant()).isEqualTo(Partition.DEFAULT_TENANT);
        assertThat(p.shards()).hasSize(4).allSatisfy(shard -> {
            assertThat(shard.replicas()).hasSize(2).doesNotHaveDuplicates().contains("storage-3");
            assertThat(shard.node()).isEqualTo(shard.replicas().get(0));
            assertThat(shard.isr()).isEqualTo(shard.replicas());
            assertThat(shard.epoch()).isEqualTo(1);
        });
    }

    /** Balancing onto a new node moves the smallest shard it can (the least data to copy), by the sizes reported. */
    @Test
    void balancingMovesTheSmallestShardByTheReportedBytes() {
        register("storage-1");
        created(state.apply(create("p-1", "web", 2, 1)));
        register("storage-2");

        ReplicaMove bySize = MetadataState.rebalance(state.view(), 1, (partition, shard) -> shard == 0 ? 1_000_000 : 10)
                .orElseThrow().moves().get(0);
        ReplicaMove unsized = MetadataState.rebalance(state.view(), 1).orElseThrow().moves().get(0);

        assertThat(bySize.shard()).isEqualTo(1);
        assertThat(unsized.shard()).as("without sizes, the first by key").isEqualTo(0);
        assertThat(bySize.to()).isEqualTo("storage-2");
    }

    @Test
    void aReplicationFactorAboveTheActiveNodesIsRefusedWithTheNumbers() {
        register("storage-1", "storage-2", "storage-3");
        state.apply(new Command.SetNodeState("storage-3", State.DEAD, T0));
        long version = state.version();

        assertThat(state.apply(create("p-1", "web", 1, 3))).isEqualTo(new Result.NotEnoughNodes(3, 2));
        assertThat(state.version()).isEqualTo(version);
    }

    @Test
    void updateChangesRetentionAndTagsAndKeepsTheRest() {
        register("storage-1");
        Partition p = created(state.apply(create("p-1", "web", 2, 1)));

        Partition updated = ((Result.PartitionUpdated) state.apply(
                new Command.UpdatePartition("p-1", 9, Map.of("team", "ops")))).partition();
        long version = state.version();

        assertThat(updated).isEqualTo(p.withSettings(9, Map.of("team", "ops")));
        assertThat(state.view().partition("web")).contains(updated);
        assertThat(state.apply(new Command.UpdatePartition("p-1", null, null))).isEqualTo(new Result.PartitionUpdated(updated));
        assertThat(state.version()).as("an update that changes nothing").isEqualTo(version);
        assertThat(state.apply(new Command.UpdatePartition("p-9", 1, null))).isEqualTo(new Result.PartitionNotFound("p-9"));
    }

    @Test
    void deleteFreesTheNameAndTheNodes() {
        register("storage-1");
        Partition p = created(state.apply(create("p-1", "web", 2, 1)));

        assertThat(state.apply(new Command.DeletePartition("p-1"))).isEqualTo(new Result.PartitionDeleted(p));
        assertThat(state.view().partitions()).isEmpty();
        assertThat(state.apply(new Command.DeletePartition("p-1"))).isEqualTo(new Result.PartitionNotFound("p-1"));
        assertThat(created(state.apply(create("p-2", "web", 1, 1))).id()).isEqualTo("p-2");
    }

    @Test
    void registrationRevivesADeadNodeButKeepsADrainOrADecommission() {
        register("storage-1", "storage-2", "storage-3");
        state.apply(new Command.SetNodeState("storage-1", State.DEAD, T0));
        state.apply(new Command.SetNodeState("storage-2", State.DRAINING, T0));
        state.apply(new Command.SetNodeState("storage-3", State.DECOMMISSIONED, T0));

        register("storage-1", "storage-2", "storage-3");

        assertThat(stateOf("storage-1")).isEqualTo(State.ACTIVE);
        assertThat(stateOf("storage-2")).isEqualTo(State.DRAINING);
        assertThat(stateOf("storage-3")).isEqualTo(State.DECOMMISSIONED);
    }

    @Test
    void registrationRecordsZoneAndCapacityAndAnUnchangedOneIsANoOp() {
        state.apply(new Command.RegisterNode("storage-1", "http://s1", T0, "eu-1a", 100L));
        long version = state.version();

        Result again = state.apply(new Command.RegisterNode("storage-1", "http://s1", T0.plusSeconds(5), "eu-1a", 100L));

        assertThat(again).isEqualTo(new Result.NodeRegistered(
                new StorageNode("storage-1", "http://s1", State.ACTIVE, T0, "eu-1a", 100L), false));
        assertThat(state.version()).isEqualTo(version);
    }

    @Test
    void nodeStateTransitions() {
        register("storage-1");
        assertThat(set("storage-1", State.DEAD)).isEqualTo(State.DEAD);
        assertThat(set("storage-1", State.ACTIVE)).isEqualTo(State.ACTIVE);
        assertThat(set("storage-1", State.DRAINING)).isEqualTo(State.DRAINING);
        assertThat(set("storage-1", State.DEAD)).as("a silent draining node stays draining").isEqualTo(State.DRAINING);
        assertThat(set("storage-1", State.ACTIVE)).as("an undrain").isEqualTo(State.ACTIVE);
        assertThat(set("storage-1", State.DECOMMISSIONED)).as("holds nothing").isEqualTo(State.DECOMMISSIONED);
        assertThat(state.apply(new Command.SetNodeState("storage-1", State.ACTIVE, T0))).isInstanceOf(Result.Rejected.class);
        assertThat(state.apply(new Command.SetNodeState("storage-9", State.DEAD, T0)))
                .isEqualTo(new Result.NodeNotFound("storage-9"));
        long version = state.version();
        assertThat(state.apply(new Command.SetNodeState("storage-1", State.DEAD, T0)))
                .isEqualTo(new Result.NodeStateChanged(state.view().node("storage-1").orElseThrow(), false));
        assertThat(state.version()).isEqualTo(version);
    }

    @Test
    void movesCopyBeforeTheyCutAndRaiseTheEpochOfTheShardsTheyTouchAtEachStep() {
        register("storage-1", "storage-2", "storage-3");
        created(state.apply(create("p-1", "web", 3, 2)));
        state.apply(new Command.SetNodeState("storage-3", State.DEAD, T0));
        register("storage-4");
        List<ReplicaMove> plan = Rebalancer.plan(ClusterLayout.of(state.view().nodes(), state.view().partitions()), 10);
        assertThat(plan).isNotEmpty().allSatisfy(move -> assertThat(move.from()).isEqualTo("storage-3"));
        Partition before = state.view().partitions().get(0);

        Result result = state.apply(new Command.ApplyMoves(plan));

        Partition copying = state.view().partitions().get(0);
        assertThat(result).isEqualTo(new Result.MovesApplied(plan.size(), plan.size()));
        for (int i = 0; i < 3; i++) {
            Partition.ShardPlacement was = before.shards().get(i);
            Partition.ShardPlacement is = copying.shards().get(i);
            boolean moved = was.replicas().contains("storage-3");
            assertThat(is.epoch()).isEqualTo(moved ? 2 : 1);
            assertThat(is.replicas()).hasSize(moved ? 3 : 2);
            assertThat(is.removing()).isEqualTo(moved ? List.of("storage-3") : List.of());
            assertThat(is.isr()).as("the new replica has no data yet").doesNotContain("storage-4").isEqualTo(was.isr());
            if (moved) {
                assertThat(is.replicas()).endsWith("storage-4").startsWith(was.node());
            }
        }
        assertThat(state.apply(new Command.ApplyMoves(plan))).as("a stale plan, and shards in flight")
                .isInstanceOf(Result.Rejected.class);
        assertThat(ShardTransitions.completions(state.view())).as("nothing completes before the copy is in sync")
                .isEmpty();
        assertThat(MetadataState.rebalance(state.view(), 10)).as("in-flight moves are not planned again").isEmpty();

        catchUp();

        Partition after = state.view().partitions().get(0);
        for (int i = 0; i < 3; i++) {
            Partition.ShardPlacement is = after.shards().get(i);
            boolean moved = before.shards().get(i).replicas().contains("storage-3");
            assertThat(is.replicas()).doesNotContain("storage-3").hasSize(2);
            assertThat(is.removing()).isEmpty();
            assertThat(is.isr()).isEqualTo(is.replicas()).contains(is.node());
            assertThat(is.epoch()).isEqualTo(moved ? 3 : 1);
        }
    }

    @Test
    void aMovedLeaderHandsOverToTheFirstStayingIsrMemberWhenTheMoveCompletes() {
        register("storage-1", "storage-2");
        created(state.apply(create("p-1", "web", 1, 2)));
        Partition.ShardPlacement shard = state.view().partitions().get(0).shards().get(0);
        String leader = shard.node();
        String follower = shard.replicas().get(1);
        register("storage-3");
        state.apply(new Command.ApplyMoves(List.of(new ReplicaMove("p-1", 0, leader, "storage-3", true))));
        assertThat(state.view().partitions().get(0).shards().get(0).node()).as("leads until the move completes")
                .isEqualTo(leader);

        catchUp();

        Partition.ShardPlacement done = state.view().partitions().get(0).shards().get(0);
        assertThat(done.replicas()).containsExactly(follower, "storage-3");
        assertThat(done.isr()).containsExactly(follower, "storage-3");
        assertThat(done.epoch()).isEqualTo(3);
    }

    @Test
    void aCompletionThatNoLongerHoldsIsRefusedWhole() {
        register("storage-1", "storage-2");
        created(state.apply(create("p-1", "web", 1, 1)));
        String from = state.view().partitions().get(0).shards().get(0).node();
        String to = from.equals("storage-1") ? "storage-2" : "storage-1";
        state.apply(new Command.ApplyMoves(List.of(new ReplicaMove("p-1", 0, from, to, true))));
        Partition.ShardPlacement copying = state.view().partitions().get(0).shards().get(0);
        long version = state.version();

        assertThat(state.apply(new Command.CompleteMoves(List.of(new Command.MoveCompletion("p-1", 0, copying.epoch(),
                List.of(from)))))).as("the new replica is not in sync").isInstanceOf(Result.Rejected.class);
        state.apply(new Command.AlterIsr("p-1", 0, from, copying.epoch(), List.of(from), List.of(from, to)));
        assertThat(state.apply(new Command.CompleteMoves(List.of(new Command.MoveCompletion("p-1", 0,
                copying.epoch() - 1, List.of(from)))))).as("a stale epoch").isInstanceOf(Result.Rejected.class);
        assertThat(state.apply(new Command.CompleteMoves(List.of(new Command.MoveCompletion("p-1", 0, copying.epoch(),
                List.of(to)))))).as("another replica").isInstanceOf(Result.Rejected.class);
        assertThat(state.version()).isEqualTo(version + 1);
        assertThat(state.apply(new Command.CompleteMoves(List.of(new Command.MoveCompletion("p-1", 0, copying.epoch(),
                List.of(from)))))).isEqualTo(new Result.MovesCompleted(1, 1));
        assertThat(state.view().partitions().get(0).shards().get(0))
                .isEqualTo(new Partition.ShardPlacement(0, to, List.of(to), List.of(to), copying.epoch() + 1));
    }

    @Test
    void aMoveOntoANodeThatIsNoLongerActiveIsRefused() {
        register("storage-1", "storage-2");
        created(state.apply(create("p-1", "web", 1, 1)));
        String from = state.view().partitions().get(0).shards().get(0).node();
        String to = from.equals("storage-1") ? "storage-2" : "storage-1";
        state.apply(new Command.SetNodeState(to, State.DEAD, T0));
        long version = state.version();

        assertThat(state.apply(new Command.ApplyMoves(List.of(new ReplicaMove("p-1", 0, from, to, false)))))
                .isInstanceOf(Result.Rejected.class);
        assertThat(state.version()).isEqualTo(version);
    }

    @Test
    void aDecommissionDrainsFirstAndCompletesWhenTheLastReplicaMovesAway() {
        register("storage-1", "storage-2", "storage-3");
        created(state.apply(create("p-1", "web", 6, 1)));

        assertThat(set("storage-2", State.DECOMMISSIONED)).isEqualTo(State.DRAINING);
        assertThat(state.snapshot().decommissioning()).containsExactly("storage-2");
        register("storage-2");
        assertThat(stateOf("storage-2")).isEqualTo(State.DRAINING);

        state.apply(new Command.ApplyMoves(Rebalancer.plan(ClusterLayout.of(state.view().nodes(), state.view().partitions()), 10)));
        assertThat(stateOf("storage-2")).as("until the moves complete").isEqualTo(State.DRAINING);
        catchUp();

        assertThat(stateOf("storage-2")).isEqualTo(State.DECOMMISSIONED);
        assertThat(state.snapshot().decommissioning()).isEmpty();
        assertThat(MetadataStateTest.load(state.view())).doesNotContainKey("storage-2");
    }

    @Test
    void aDrainedNodeStaysDrainingWhenEmpty() {
        register("storage-1", "storage-2");
        created(state.apply(create("p-1", "web", 2, 1)));
        set("storage-2", State.DRAINING);

        state.apply(new Command.ApplyMoves(Rebalancer.plan(ClusterLayout.of(state.view().nodes(), state.view().partitions()), 10)));
        catchUp();

        assertThat(stateOf("storage-2")).isEqualTo(State.DRAINING);
        assertThat(MetadataStateTest.load(state.view())).containsOnlyKeys("storage-1");
    }

    /**
     * What the storage leaders do once their new replicas hold the data: each puts every replica
     * in the ISR (AlterIsr); then the moves complete.
     */
    private void catchUp() {
        for (Partition p : state.view().partitions()) {
            for (Partition.ShardPlacement shard : p.shards()) {
                if (!shard.isr().equals(shard.replicas())) {
                    assertThat(state.apply(new Command.AlterIsr(p.id(), shard.shard(), shard.node(), shard.epoch(),
                            shard.isr(), shard.replicas()))).isInstanceOf(Result.IsrChanged.class);
                }
            }
        }
        ShardTransitions.completions(state.view()).ifPresent(command ->
                assertThat(state.apply(command)).isInstanceOf(Result.MovesCompleted.class));
    }

    private State set(String id, State to) {
        state.apply(new Command.SetNodeState(id, to, T0));
        return stateOf(id);
    }

    private State stateOf(String id) {
        return state.view().node(id).orElseThrow().state();
    }

    private void register(String... ids) {
        for (String id : ids) {
            state.apply(new Command.RegisterNode(id, "http://" + id + ":7821", T0));
        }
    }

    private void registerInZone(String id, String zone) {
        state.apply(new Command.RegisterNode(id, "http://" + id + ":7821", T0, zone, null));
    }

    private static Command.CreatePartition create(String id, String name, int shards, int rf) {
        return new Command.CreatePartition(id, name, Map.of(), 30, T0, shards, null, rf, null, null);
    }

    private static Partition created(Result result) {
        return ((Result.PartitionCreated) result).partition();
    }
}
