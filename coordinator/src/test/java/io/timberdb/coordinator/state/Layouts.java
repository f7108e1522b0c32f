package io.timberdb.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.cluster.StorageNode.State;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/** Builds and inspects {@link ClusterLayout}s for the placement tests. */
final class Layouts {

    private Layouts() {
    }

    /** {@code storage-1} … {@code storage-<count>}, all active, zones dealt round-robin (none when 0). */
    static List<PlacementNode> activeNodes(int count, int zones) {
        return nodes(1, count, zones);
    }

    /** Active nodes {@code storage-<first>} … {@code storage-<last>}. */
    static List<PlacementNode> nodes(int first, int last, int zones) {
        List<PlacementNode> nodes = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            nodes.add(new PlacementNode("storage-" + i, zones == 0 ? null : "zone-" + (i - 1) % zones, State.ACTIVE));
        }
        return nodes;
    }

    /** Places partitions {@code p-00}, {@code p-01}, … one after another, with shard bytes drawn from {@code seed}. */
    static ClusterLayout placeAll(List<PlacementNode> nodes, List<Integer> shardCounts, int rf, int seed) {
        ClusterLayout layout = new ClusterLayout(nodes, List.of());
        for (int p = 0; p < shardCounts.size(); p++) {
            List<ShardAssignment> shards = new ArrayList<>(layout.shards());
            for (ShardAssignment placed : ReplicaPlacement.place(layout, "p-%02d".formatted(p), shardCounts.get(p), rf)) {
                long bytes = Math.floorMod(seed * 31L + p * 131L + placed.shard() * 17L, 1_000L);
                shards.add(new ShardAssignment(placed.partitionId(), placed.shard(), placed.replicas(), bytes));
            }
            layout = new ClusterLayout(nodes, shards);
        }
        return layout;
    }

    /** The layout with other nodes and the same shards. */
    static ClusterLayout withNodes(ClusterLayout layout, List<PlacementNode> nodes) {
        return new ClusterLayout(nodes, layout.shards());
    }

    /** The nodes with node {@code index} (0-based) in another state. */
    static List<PlacementNode> withState(List<PlacementNode> nodes, int index, State state) {
        List<PlacementNode> changed = new ArrayList<>(nodes);
        PlacementNode node = changed.get(index);
        changed.set(index, new PlacementNode(node.id(), node.zone(), state));
        return changed;
    }

    /**
     * Plans and applies rounds until a plan is empty, handing each round's layout before and its
     * plan to {@code eachRound}, and returns the final layout. Fails after 10,000 rounds.
     */
    static ClusterLayout converge(ClusterLayout layout, int maxMoves, BiConsumer<ClusterLayout, List<ReplicaMove>> eachRound) {
        for (int round = 0; round < 10_000; round++) {
            List<ReplicaMove> plan = Rebalancer.plan(layout, maxMoves);
            eachRound.accept(layout, plan);
            if (plan.isEmpty()) {
                return layout;
            }
            layout = Rebalancer.apply(layout, plan);
        }
        throw new AssertionError("no convergence after 10,000 rounds");
    }

    static ClusterLayout converge(ClusterLayout layout, int maxMoves) {
        return converge(layout, maxMoves, (before, plan) -> { });
    }

    /** Replicas per node, for every given node (0 when it holds none). */
    static Map<String, Integer> replicaCounts(ClusterLayout layout, Collection<PlacementNode> nodes) {
        Map<String, Integer> counts = new TreeMap<>();
        nodes.forEach(node -> counts.put(node.id(), 0));
        layout.shards().forEach(shard -> shard.replicas().forEach(node -> counts.merge(node, 1, Integer::sum)));
        return counts;
    }

    /** Shards led per node, for every given node (0 when it leads none). */
    static Map<String, Integer> leaderCounts(ClusterLayout layout, Collection<PlacementNode> nodes) {
        Map<String, Integer> counts = new TreeMap<>();
        nodes.forEach(node -> counts.put(node.id(), 0));
        layout.shards().forEach(shard -> counts.merge(shard.leader(), 1, Integer::sum));
        return counts;
    }

    /** Max minus min of the counts of the given nodes. */
    static int spread(Map<String, Integer> counts, Collection<PlacementNode> nodes) {
        List<Integer> values = nodes.stream().map(node -> counts.getOrDefault(node.id(), 0)).toList();
        return values.stream().max(Integer::compare).orElse(0) - values.stream().min(Integer::compare).orElse(0);
    }

    /** The number of distinct zones among a shard's replicas; unknown zones count as one. */
    static int zonesOf(ShardAssignment shard, List<PlacementNode> nodes) {
        return zonesOf(shard.replicas(), nodes);
    }

    /** The number of distinct zones among some replicas; unknown zones count as one. */
    static int zonesOf(List<String> replicas, List<PlacementNode> nodes) {
        Map<String, String> zones = nodes.stream()
                .collect(Collectors.toMap(PlacementNode::id, node -> Objects.requireNonNullElse(node.zone(), "")));
        return (int) replicas.stream().map(node -> zones.getOrDefault(node, "")).distinct().count();
    }

    /** The number of distinct zones among the active nodes. */
    static int activeZones(List<PlacementNode> nodes) {
        return (int) nodes.stream().filter(PlacementNode::eligible)
                .map(node -> Objects.requireNonNullElse(node.zone(), "")).distinct().count();
    }

    static long activeCount(List<PlacementNode> nodes) {
        return nodes.stream().filter(PlacementNode::eligible).count();
    }

    /** Every shard of {@code after} has as many distinct replicas as in {@code before}, and the same bytes. */
    static void assertSameShapes(ClusterLayout before, ClusterLayout after) {
        assertThat(after.shards()).hasSameSizeAs(before.shards());
        for (int i = 0; i < before.shards().size(); i++) {
            ShardAssignment was = before.shards().get(i);
            ShardAssignment is = after.shards().get(i);
            assertThat(is.key()).isEqualTo(was.key());
            assertThat(is.bytes()).isEqualTo(was.bytes());
            assertThat(is.replicas()).hasSameSizeAs(was.replicas()).doesNotHaveDuplicates().contains(is.leader());
        }
    }
}
