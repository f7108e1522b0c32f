package io.timberdb.model.cluster;

import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.UpdatePartitionRequest;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The partitions of the cluster: changed through the coordinator's Raft log, read from its state.
 *
 * <p>Every partition belongs to a tenant, and a name is unique within its tenant only (TDB-07).
 * Every lookup names the caller's tenant: another tenant's partition is not found, with the same
 * {@code PARTITION_NOT_FOUND} as a missing one, so its existence does not leak.
 */
public interface PartitionCatalog {

    /**
     * Creates a partition of {@code request.tenant()} (the default tenant when null) and places
     * its shards' replicas; fails with {@code PARTITION_EXISTS} on a name the tenant has taken and {@code NOT_ENOUGH_STORAGE_NODES} when fewer nodes are active than the
     * replication factor.
     */
    Mono<Partition> create(CreatePartitionRequest request);

    /** The tenant's partitions, oldest first. */
    Mono<List<Partition>> list(String tenant);

    /** The tenant's partition with this id or name; fails with {@code PARTITION_NOT_FOUND}. */
    Mono<Partition> get(String tenant, String idOrName);

    /** Changes a partition's retention and tags; fails with {@code PARTITION_NOT_FOUND}. */
    Mono<Partition> update(String tenant, String idOrName, UpdatePartitionRequest request);

    /** Deletes a partition from the metadata; fails with {@code PARTITION_NOT_FOUND}. */
    Mono<Void> delete(String tenant, String idOrName);
}
