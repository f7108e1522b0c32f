package io.timberdb.coordinator.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses the replicas of every shard of a new partition. A pure function of its arguments:
 * the same layout, partition and factors give the same assignments, whatever the order of the
 * layout's lists.
 *
 * <p>Rules, shard by shard in shard-number order, replica by replica:
 * <ol>
 *   <li>Only {@linkplain PlacementNode#eligible active} nodes receive replicas: a joining node
 *       is not ready, and a draining, dead or decommissioned one is on its way out.</li>
 *   <li>The replicas of a shard are on distinct nodes, or a node failure would cost two copies.</li>
 *   <li>Among those, the node whose zone holds the fewest replicas of this shard so far. This
 *       gives every replica its own zone whenever the active nodes span at least RF zones, and
 *       spreads them as evenly as the zones allow otherwise.</li>
 *   <li>Then the node holding the fewest replicas of this partition so far, so that one
 *       partition spreads over as many nodes as there are: a node that joined lately, with a low
 *       total, would otherwise take every shard of a new partition (the {@link Rebalancer}
 *       evens totals out over time, but a partition on one node writes through one node).</li>
 *   <li>Then the least loaded node ({@link LayoutWorkspace#byLoad}: replica count, then bytes,
 *       then id), counting the replicas placed earlier in the same call.</li>
 * </ol>
 * The leader is then the chosen replica that leads the fewest shards (then smallest id), and
 * goes first; the followers keep the order they were chosen in. Leaders are counted apart from
 * replicas because every write goes to the leader: equal replica counts with one node leading
 * everything would still leave that node with all the write load. Because the leader must be
 * one of the replicas just chosen, leader counts can drift two apart on equal nodes where
 * replica counts stay within one (the property tests check both bounds).
 *
 * <p>With fewer active nodes than the replication factor the call fails instead of placing
 * fewer replicas: a partition that starts under-replicated would look healthy to its writers
 * while having less redundancy than they asked for, and nothing would later notice that it
 * needs more copies. Stateless.
 */
final class ReplicaPlacement {

    private ReplicaPlacement() {
    }

    /**
     * @param layout the cluster now, whose replicas count as load; not modified
     * @param partitionId the id of the new partition; no shard of it may be in {@code layout}
     * @param shardCount how many shards to place, at least 1
     * @param replicationFactor how many replicas each shard gets, at least 1
     * @return one assignment per shard, shard numbers 0 to {@code shardCount - 1}, with 0 bytes
     * @throws IllegalArgumentException when there are fewer active nodes than
     *     {@code replicationFactor}, or an argument is out of range
     */
    static List<ShardAssignment> place(ClusterLayout layout, String partitionId, int shardCount, int replicationFactor) {
        if (shardCount < 1) {
            throw new IllegalArgumentException("shard count must be at least 1, not " + shardCount);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, not " + replicationFactor);
        }
        if (layout.shards().stream().anyMatch(shard -> shard.partitionId().equals(partitionId))) {
            throw new IllegalArgumentException("partition " + partitionId + " is placed already");
        }
        LayoutWorkspace workspace = new LayoutWorkspace(layout);
        List<String> eligible = workspace.eligibleNodes();
        if (eligible.size() < replicationFactor) {
            throw new IllegalArgumentException("replication factor " + replicationFactor + " needs "
                    + replicationFactor + " active nodes, but only " + eligible.size() + " of "
                    + layout.nodes().size() + " nodes are active");
        }
        List<ShardAssignment> placed = new ArrayList<>(shardCount);
        Map<String, Integer> own = new TreeMap<>();
        for (int shard = 0; shard < shardCount; shard++) {
            List<String> chosen = new ArrayList<>(replicationFactor);
            while (chosen.size() < replicationFactor) {
                Comparator<String> preference = Comparator.<String>comparingInt(node -> workspace.zoneClashes(chosen, node))
                        .thenComparingInt(node -> own.getOrDefault(node, 0))
                        .thenComparing(workspace.byLoad());
                chosen.add(eligible.stream().filter(node -> !chosen.contains(node)).min(preference).orElseThrow());
            }
            String leader = chosen.stream()
                    .min(Comparator.<String>comparingInt(workspace::leaderCount).thenComparing(Comparator.naturalOrder()))
                    .orElseThrow();
            chosen.remove(leader);
            chosen.add(0, leader);
            chosen.forEach(node -> own.merge(node, 1, Integer::sum));
            ShardAssignment assignment = new ShardAssignment(partitionId, shard, chosen, 0);
            workspace.add(assignment);
            placed.add(assignment);
        }
        return List.copyOf(placed);
    }
}
