package io.timberdb.coordinator.state;

import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.StorageNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The input and output of replica placement and rebalancing: the known storage nodes and where
 * every shard's replicas live. Immutable.
 *
 * <p>A replica may name a node that is not in {@code nodes}; such a node is treated as gone and
 * its replicas are re-homed by the {@link Rebalancer}. The order of both lists carries no
 * meaning for the planners (they sort by id), only for the output of
 * {@link Rebalancer#apply}, which keeps the shards in the order given.
 *
 * @param nodes the storage nodes, with distinct ids
 * @param shards the shard assignments, at most one per partition and shard number
 */
record ClusterLayout(List<PlacementNode> nodes, List<ShardAssignment> shards) {

    ClusterLayout {
        nodes = List.copyOf(nodes);
        shards = List.copyOf(shards);
        Set<String> ids = new HashSet<>();
        for (PlacementNode node : nodes) {
            if (!ids.add(node.id())) {
                throw new IllegalArgumentException("node " + node.id() + " is listed twice");
            }
        }
        Set<ShardKey> keys = new HashSet<>();
        for (ShardAssignment shard : shards) {
            if (!keys.add(shard.key())) {
                throw new IllegalArgumentException("shard " + shard.key() + " is listed twice");
            }
        }
    }

    /**
     * The layout of the metadata's nodes and partitions: every node with its zone and state, every
     * shard in partition order then shard order, with the replicas that stay once the moves in
     * flight complete. Shard bytes are 0: sizes do not enter the
     * metadata yet, so placement balances by replica count alone.
     */
    static ClusterLayout of(Collection<StorageNode> nodes, Collection<Partition> partitions) {
        return of(nodes, partitions, (partition, shard) -> 0);
    }

    /** As {@link #of(Collection, Collection)}, each shard with the bytes {@code bytes} gives it. */
    static ClusterLayout of(Collection<StorageNode> nodes, Collection<Partition> partitions, ShardBytes bytes) {
        List<PlacementNode> placementNodes = nodes.stream()
                .map(node -> new PlacementNode(node.id(), node.zone(), node.state())).toList();
        List<ShardAssignment> shards = new ArrayList<>();
        for (Partition partition : partitions) {
            for (Partition.ShardPlacement shard : partition.shards()) {
                // Planned as if the moves in flight were done: the replicas that stay.
                shards.add(new ShardAssignment(partition.id(), shard.shard(), shard.staying(),
                        bytes.of(partition.id(), shard.shard()), shard.removing().size()));
            }
        }
        return new ClusterLayout(placementNodes, shards);
    }
}
