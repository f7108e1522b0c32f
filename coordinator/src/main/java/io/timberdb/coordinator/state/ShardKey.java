package io.timberdb.coordinator.state;

import java.util.Comparator;

/**
 * Names one shard of one partition. Ordered by partition id, then shard number, which is the
 * order in which planners visit shards so that their output does not depend on input order.
 *
 * @param partitionId the partition id
 * @param shard the shard number within the partition, from 0
 */
record ShardKey(String partitionId, int shard) implements Comparable<ShardKey> {

    private static final Comparator<ShardKey> ORDER =
            Comparator.comparing(ShardKey::partitionId).thenComparingInt(ShardKey::shard);

    @Override
    public int compareTo(ShardKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return partitionId + "/" + shard;
    }
}
