package io.timberdb.coordinator.state;

/** The bytes a shard takes, as its storage nodes last reported them (0 when unknown). */
@FunctionalInterface
public interface ShardBytes {

    long of(String partitionId, int shard);
}
