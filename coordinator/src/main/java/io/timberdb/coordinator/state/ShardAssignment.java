package io.timberdb.coordinator.state;

import java.util.HashSet;
import java.util.List;

/**
 * Where the replicas of one shard live. Immutable.
 *
 * @param partitionId the partition id
 * @param shard the shard number within the partition, from 0
 * @param replicas the node ids holding a replica, distinct and not empty; the first is the
 *     leader, the rest are followers. The replication factor of the shard is their number.
 * @param bytes the size of one replica of the shard, at least 0
 * @param movesInFlight how many of the shard's replicas are being moved (copied, not yet cut);
 *     the planner leaves such a shard alone until they complete
 */
record ShardAssignment(String partitionId, int shard, List<String> replicas, long bytes, int movesInFlight) {

    /** A shard with no move in flight. */
    ShardAssignment(String partitionId, int shard, List<String> replicas, long bytes) {
        this(partitionId, shard, replicas, bytes, 0);
    }

    ShardAssignment {
        if (partitionId == null || partitionId.isBlank()) {
            throw new IllegalArgumentException("partition id must not be blank");
        }
        if (shard < 0) {
            throw new IllegalArgumentException("shard number must be at least 0, not " + shard);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("shard bytes must be at least 0, not " + bytes);
        }
        replicas = List.copyOf(replicas);
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("shard " + partitionId + "/" + shard + " has no replica");
        }
        if (new HashSet<>(replicas).size() != replicas.size()) {
            throw new IllegalArgumentException(
                    "shard " + partitionId + "/" + shard + " has two replicas on one node: " + replicas);
        }
    }

    /** The node that leads the shard: the first replica. */
    String leader() {
        return replicas.get(0);
    }

    ShardKey key() {
        return new ShardKey(partitionId, shard);
    }

    /** The same shard with other replicas. */
    ShardAssignment withReplicas(List<String> newReplicas) {
        return new ShardAssignment(partitionId, shard, newReplicas, bytes, movesInFlight);
    }
}
