package io.timberdb.coordinator.api;

import io.timberdb.model.api.AlterIsrRequest;
import io.timberdb.model.api.Partition;
import reactor.core.publisher.Mono;

/**
 * The shards' in-sync replicas as their storage leaders change them (TDB-05's AlterIsr,
 * {@code POST /internal/v1/partitions/{id}/shards/{shard}/isr}). Implementations:
 * {@link RaftIsrRegistry} (through the metadata Raft group). Implementations must be
 * thread-safe: requests call them concurrently.
 */
public interface IsrRegistry {

    /**
     * Changes a shard's ISR if its leader, epoch and ISR are still those the request expects
     * (compare-and-set); the epoch stays. A request that was applied already (its answer lost)
     * answers the same partition again.
     *
     * @return the partition after the change; fails with {@code ISR_CONFLICT} (the problem's
     *         {@code placement} is the shard's current placement) when the shard moved on,
     *         {@code PARTITION_NOT_FOUND} for an unknown partition or shard ({@code field: shard}),
     *         {@code MISSING_FIELD}/{@code INVALID_FIELD} on bad input, {@code UNAVAILABLE} when
     *         no coordinator leader takes it
     */
    Mono<Partition> alterIsr(String partitionId, int shard, AlterIsrRequest request);
}
