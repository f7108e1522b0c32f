package io.timberdb.model.shard;

/**
 * One shard of one partition.
 *
 * @param partition the partition id
 * @param shard the shard index within the partition
 */
public record ShardId(String partition, int shard) {

    @Override
    public String toString() {
        return partition + "/" + shard;
    }
}
