package io.timberdb.coordinator.state;

import static io.timberdb.coordinator.state.Layouts.activeCount;
import static io.timberdb.coordinator.state.Layouts.activeZones;
import static io.timberdb.coordinator.state.Layouts.converge;
import static io.timberdb.coordinator.state.Layouts.replicaCounts;
import static io.timberdb.coordinator.state.Layouts.spread;
import static io.timberdb.coordinator.state.Layouts.zonesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.cluster.StorageNode.State;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Invariants of {@link ReplicaPlacement} and {@link Rebalancer} over random clusters: 1–9
 * nodes in 0–3 zones, replication factor 1–3, 1–20 partitions of 1–8 shards, placed while all
 * nodes were active, after which nodes change to random states or vanish from the layout.
 */
class ReplicaPlacementPropertiesTest {

    /**
     * A random cluster history. The layout is placed on {@code nodes} active nodes with the
     * replication factor capped at the node count; then node {@code i} takes {@code states[i]},
     * or leaves the layout altogether when {@code vanished[i]}.
     */
    record Scenario(int nodes, int zones, int rf, List<Integer> shardCounts, List<State> states,
            List<Boolean> vanished, int seed, int maxMoves) {

        List<PlacementNode> initialNodes() {
            return Layouts.activeNodes(nodes, zones);
        }

        int placedRf() {
            return Math.min(rf, nodes);
        }

        ClusterLayout placed() {
            return Layouts.placeAll(initialNodes(), shardCounts, placedRf(), seed);
        }

        List<PlacementNode> laterNodes() {
            List<PlacementNode> later = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                PlacementNode node = initialNodes().get(i);
                if (!vanished.get(i)) {
                    later.add(new PlacementNode(node.id(), node.zone(), states.get(i)));
                }
            }
            return later;
        }

        ClusterLayout later() {
            return Layouts.withNodes(placed(), laterNodes());
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<State> state = Arbitraries.frequency(
                Tuple.of(6, State.ACTIVE), Tuple.of(1, State.JOINING),
                Tuple.of(1, State.DRAINING), Tuple.of(1, State.DEAD),
                Tuple.of(1, State.DECOMMISSIONED));
        Arbitrary<Boolean> vanished = Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true));
        return Combinators.combine(
                Arbitraries.integers().between(1, 9),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 8).list().ofMinSize(1).ofMaxSize(20),
                state.list().ofSize(9),
                vanished.list().ofSize(9),
                Arbitraries.integers(),
                Arbitraries.integers().between(1, 12)).as(Scenario::new);
    }

    /**
     * Equal nodes: all active, all in one zone or none. {@code extra} (1–3) is how many nodes
     * join in the scale-out property and picks the drained node in the drain one.
     */
    record EqualCluster(int nodes, boolean oneZone, int rf, List<Integer> shardCounts, int seed, int maxMoves, int extra) {

        int zones() {
            return oneZone ? 1 : 0;
        }

        List<PlacementNode> nodeList() {
            return Layouts.activeNodes(nodes, zones());
        }
    }

    @Provide
    Arbitrary<EqualCluster> equalClusters() {
        return Combinators.combine(
                Arbitraries.integers().between(1, 9),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 8).list().ofMinSize(1).ofMaxSize(20),
                Arbitraries.integers(),
                Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(1, 3)).as(EqualCluster::new);
    }

    // ---- placement

    @Property(tries = 1000)
    void placeKeepsTheReplicasOfEveryShardOnDistinctActiveNodes(@ForAll("scenarios") Scenario s) {
        ClusterLayout layout = s.later();
        long active = activeCount(layout.nodes());
        int shardCount = s.shardCounts().get(0);
        if (active < s.rf()) {
            assertThatThrownBy(() -> ReplicaPlacement.place(layout, "new", shardCount, s.rf()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("replication factor " + s.rf() + " needs " + s.rf() + " active nodes")
                    .hasMessageContaining("only " + active + " of " + layout.nodes().size());
            return;
        }
        Set<String> activeIds = layout.nodes().stream().filter(PlacementNode::eligible)
                .map(PlacementNode::id).collect(Collectors.toSet());

        List<ShardAssignment> placed = ReplicaPlacement.place(layout, "new", shardCount, s.rf());

        assertThat(placed).extracting(ShardAssignment::shard)
                .containsExactlyElementsOf(IntStream.range(0, shardCount).boxed().toList());
        for (ShardAssignment shard : placed) {
            assertThat(shard.replicas()).hasSize(s.rf()).doesNotHaveDuplicates();
            assertThat(activeIds).containsAll(shard.replicas());
        }
    }

    @Property(tries = 1000)
    void placeGivesEveryReplicaItsOwnZoneWhenActiveNodesSpanEnoughZones(@ForAll("scenarios") Scenario s) {
        ClusterLayout layout = s.later();
        Assume.that(activeCount(layout.nodes()) >= s.rf());
        int zones = activeZones(layout.nodes());

        for (ShardAssignment shard : ReplicaPlacement.place(layout, "new", s.shardCounts().get(0), s.rf())) {
            // Distinct zones when there are enough of them, otherwise every zone there is.
            assertThat(zonesOf(shard, layout.nodes())).isEqualTo(Math.min(s.rf(), zones));
        }
    }

    @Property(tries = 1000)
    void placeKeepsEqualNodesWithinOneReplicaAndTwoLeadersOfEachOther(@ForAll("equalClusters") EqualCluster c) {
        List<PlacementNode> nodes = c.nodeList();
        List<Integer> shardCounts = c.shardCounts();
        int placedRf = Math.min(c.rf(), c.nodes());
        ClusterLayout layout = new ClusterLayout(nodes, List.of());
        for (int p = 0; p < shardCounts.size(); p++) {
            List<ShardAssignment> shards = new ArrayList<>(layout.shards());
            shards.addAll(ReplicaPlacement.place(layout, "p-" + p, shardCounts.get(p), placedRf));
            layout = new ClusterLayout(nodes, shards);

            assertThat(spread(replicaCounts(layout, nodes), nodes)).isLessThanOrEqualTo(1);
            // The leader must be one of the replicas just chosen, so leaders cannot always be
            // within one of each other (7 nodes, RF 3, shards 1 then 5 reach two); two holds.
            assertThat(spread(Layouts.leaderCounts(layout, nodes), nodes)).isLessThanOrEqualTo(2);
        }
    }

    // ---- rebalancing

    @Property(tries = 500)
    void noRoundPutsTwoReplicasOfAShardOnOneNodeOrChangesAShardsReplicaCount(@ForAll("scenarios") Scenario s) {
        ClusterLayout initial = s.later();
        // ShardAssignment itself rejects duplicate replicas; this checks shapes round by round.
        converge(initial, s.maxMoves(), (layout, plan) -> Layouts.assertSameShapes(initial, layout));
    }

    @Property(tries = 500)
    void noRoundPlansMoreThanMaxMoves(@ForAll("scenarios") Scenario s) {
        converge(s.later(), s.maxMoves(), (layout, plan) -> assertThat(plan).hasSizeLessThanOrEqualTo(s.maxMoves()));
    }

    @Property(tries = 500)
    void noMoveTargetsANodeThatIsNotActive(@ForAll("scenarios") Scenario s) {
        Set<String> activeIds = s.laterNodes().stream().filter(PlacementNode::eligible)
                .map(PlacementNode::id).collect(Collectors.toSet());

        converge(s.later(), s.maxMoves(), (layout, plan) -> assertThat(plan)
                .allSatisfy(move -> assertThat(activeIds).contains(move.to())));
    }

    @Property(tries = 500)
    void leavingAndVanishedNodesEndUpEmptyWhenEnoughNodesAreActive(@ForAll("scenarios") Scenario s) {
        List<PlacementNode> nodes = s.laterNodes();
        Set<String> activeIds = nodes.stream().filter(PlacementNode::eligible)
                .map(PlacementNode::id).collect(Collectors.toSet());
        Set<String> staying = nodes.stream().filter(node -> !node.leaving())
                .map(PlacementNode::id).collect(Collectors.toSet());

        ClusterLayout converged = converge(s.later(), s.maxMoves());

        if (activeIds.size() >= s.placedRf()) {
            assertThat(converged.shards()).allSatisfy(shard -> assertThat(staying).containsAll(shard.replicas()));
        }
    }

    @Property(tries = 1000)
    void everyRoundKeepsEveryReplicaInItsOwnZoneWhenActiveNodesSpanEnoughZones(@ForAll("scenarios") Scenario s) {
        Assume.that(activeZones(s.laterNodes()) >= s.placedRf());
        Set<String> staying = s.laterNodes().stream().filter(node -> !node.leaving())
                .map(PlacementNode::id).collect(Collectors.toSet());

        // Replicas still on leaving or vanished nodes are on their way out; the others never
        // share a zone, and once everything has moved no replica does.
        ClusterLayout converged = converge(s.later(), s.maxMoves(), (layout, plan) -> assertThat(layout.shards())
                .allSatisfy(shard -> {
                    List<String> kept = shard.replicas().stream().filter(staying::contains).toList();
                    assertThat(zonesOf(kept, s.laterNodes())).isEqualTo(kept.size());
                }));
        assertThat(converged.shards()).allSatisfy(shard -> assertThat(zonesOf(shard, s.laterNodes())).isEqualTo(s.placedRf()));
    }

    @Property(tries = 500)
    void equalNodesEndWithinOneReplicaOfEachOtherAfterScaleOut(@ForAll("equalClusters") EqualCluster c) {
        // Start on fewer nodes, then add up to three (at least one node stays at the start).
        int before = Math.max(1, c.nodes() - c.extra());
        ClusterLayout placed = Layouts.placeAll(Layouts.activeNodes(before, c.zones()), c.shardCounts(),
                Math.min(c.rf(), before), c.seed());
        List<PlacementNode> nodes = c.nodeList();

        ClusterLayout converged = converge(Layouts.withNodes(placed, nodes), c.maxMoves());

        assertThat(spread(replicaCounts(converged, nodes), nodes)).isLessThanOrEqualTo(1);
    }

    @Property(tries = 500)
    void equalNodesEndWithinOneReplicaOfEachOtherAfterADrain(@ForAll("equalClusters") EqualCluster c) {
        Assume.that(c.nodes() >= 2);
        List<PlacementNode> nodes = c.nodeList();
        ClusterLayout placed = Layouts.placeAll(nodes, c.shardCounts(), Math.min(c.rf(), c.nodes() - 1), c.seed());
        int drained = c.extra() % c.nodes();
        List<PlacementNode> after = Layouts.withState(nodes, drained, State.DRAINING);

        ClusterLayout converged = converge(Layouts.withNodes(placed, after), c.maxMoves());

        List<PlacementNode> remaining = after.stream().filter(PlacementNode::eligible).toList();
        Map<String, Integer> counts = replicaCounts(converged, after);
        assertThat(counts.get(nodes.get(drained).id())).isZero();
        assertThat(spread(counts, remaining)).isLessThanOrEqualTo(1);
    }

    @Property(tries = 1000)
    void planningTwiceOnEqualInputsGivesEqualPlansWhateverTheListOrder(@ForAll("scenarios") Scenario s, @ForAll Random random) {
        ClusterLayout layout = s.later();
        List<PlacementNode> nodes = new ArrayList<>(layout.nodes());
        List<ShardAssignment> shards = new ArrayList<>(layout.shards());
        Collections.shuffle(nodes, random);
        Collections.shuffle(shards, random);
        ClusterLayout shuffled = new ClusterLayout(nodes, shards);

        List<ReplicaMove> plan = Rebalancer.plan(layout, s.maxMoves());

        assertThat(Rebalancer.plan(s.later(), s.maxMoves())).isEqualTo(plan);
        assertThat(Rebalancer.plan(shuffled, s.maxMoves())).isEqualTo(plan);
        if (activeCount(nodes) >= s.rf()) {
            assertThat(ReplicaPlacement.place(shuffled, "new", 8, s.rf()))
                    .isEqualTo(ReplicaPlacement.place(layout, "new", 8, s.rf()));
        }
    }
}
