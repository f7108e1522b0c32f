package io.timberdb.coordinator.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A mutable copy of a {@link ClusterLayout} that the planners change move by move, keeping each
 * node's replica count, leader count and bytes up to date. All maps are sorted by key, so
 * nothing here depends on hash order or on the order of the input lists.
 *
 * <p>Not thread-safe: a planner creates one per call and drops it when done.
 */
final class LayoutWorkspace {

    /** Zone of every node whose zone is unknown, and of nodes absent from the layout. */
    private static final String UNNAMED_ZONE = "";

    private final Map<String, PlacementNode> nodes = new TreeMap<>();
    private final Map<ShardKey, ShardAssignment> shards = new TreeMap<>();
    private final Map<String, Integer> replicaCounts = new TreeMap<>();
    private final Map<String, Integer> leaderCounts = new TreeMap<>();
    private final Map<String, Long> bytes = new TreeMap<>();

    LayoutWorkspace(ClusterLayout layout) {
        for (PlacementNode node : layout.nodes()) {
            nodes.put(node.id(), node);
        }
        layout.shards().forEach(this::add);
    }

    /** Adds a shard that is not in the workspace yet. */
    void add(ShardAssignment shard) {
        if (shards.putIfAbsent(shard.key(), shard) != null) {
            throw new IllegalArgumentException("shard " + shard.key() + " exists already");
        }
        shard.replicas().forEach(node -> count(node, shard.bytes(), 1));
        leaderCounts.merge(shard.leader(), 1, Integer::sum);
    }

    /** Every shard, in key order. */
    Collection<ShardAssignment> shards() {
        return shards.values();
    }

    ShardAssignment shard(ShardKey key) {
        ShardAssignment shard = shards.get(key);
        if (shard == null) {
            throw new IllegalArgumentException("no shard " + key);
        }
        return shard;
    }

    /** The active nodes, by id. */
    List<String> eligibleNodes() {
        return nodes.values().stream().filter(PlacementNode::eligible).map(PlacementNode::id).toList();
    }

    boolean eligible(String node) {
        PlacementNode known = nodes.get(node);
        return known != null && known.eligible();
    }

    /** Whether the node's replicas must move away: it is leaving the cluster or not known at all. */
    boolean gone(String node) {
        PlacementNode known = nodes.get(node);
        return known == null || known.leaving();
    }

    int replicaCount(String node) {
        return replicaCounts.getOrDefault(node, 0);
    }

    int leaderCount(String node) {
        return leaderCounts.getOrDefault(node, 0);
    }

    /**
     * Least loaded first: fewest replicas, then fewest bytes, then smallest id. Replica count
     * comes first because every replica costs the node a writer, a WAL and a share of requests
     * whatever its size; bytes break ties, and the id makes the order total.
     */
    Comparator<String> byLoad() {
        return Comparator.<String>comparingInt(this::replicaCount)
                .thenComparingLong(node -> bytes.getOrDefault(node, 0L))
                .thenComparing(Comparator.naturalOrder());
    }

    /**
     * How many of {@code others} are in the same zone as {@code node}. Others on gone nodes do
     * not count: they are about to move anyway, and a node absent from the layout has no known
     * zone.
     */
    int zoneClashes(Collection<String> others, String node) {
        String zone = zone(node);
        return (int) others.stream()
                .filter(other -> !other.equals(node) && !gone(other) && zone(other).equals(zone))
                .count();
    }

    /** The replicas of {@code key} other than {@code node}. */
    List<String> otherReplicas(ShardKey key, String node) {
        return shard(key).replicas().stream().filter(replica -> !replica.equals(node)).toList();
    }

    /**
     * Replaces the replica of {@code key} on {@code from} by one on {@code to}, and returns the
     * move. The new replica is appended as a follower; the leader is then the first replica not
     * on a {@linkplain #gone gone} node, so leadership only changes when the old leader moved
     * away or was already on a gone node. When every other replica is gone, the new replica
     * leads: it is the only one that can serve.
     */
    ReplicaMove move(ShardKey key, String from, String to) {
        ShardAssignment shard = shard(key);
        if (!shard.replicas().contains(from)) {
            throw new IllegalArgumentException("shard " + key + " has no replica on " + from);
        }
        if (shard.replicas().contains(to)) {
            throw new IllegalArgumentException("shard " + key + " has a replica on " + to + " already");
        }
        List<String> replicas = new ArrayList<>(shard.replicas());
        replicas.remove(from);
        replicas.add(to);
        replicas.stream().filter(node -> !gone(node)).findFirst().ifPresent(leader -> {
            replicas.remove(leader);
            replicas.add(0, leader);
        });
        ShardAssignment moved = shard.withReplicas(replicas);
        shards.put(key, moved);
        count(from, shard.bytes(), -1);
        count(to, shard.bytes(), 1);
        leaderCounts.merge(shard.leader(), -1, Integer::sum);
        leaderCounts.merge(moved.leader(), 1, Integer::sum);
        return new ReplicaMove(key.partitionId(), key.shard(), from, to, !shard.leader().equals(moved.leader()));
    }

    private void count(String node, long shardBytes, int delta) {
        replicaCounts.merge(node, delta, Integer::sum);
        bytes.merge(node, delta * shardBytes, Long::sum);
    }

    private String zone(String node) {
        PlacementNode known = nodes.get(node);
        return known == null ? UNNAMED_ZONE : Objects.requireNonNullElse(known.zone(), UNNAMED_ZONE);
    }
}
