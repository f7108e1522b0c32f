package io.timberdb.model.cluster;

import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.UpdatePartitionRequest;
import java.util.List;
import reactor.core.publisher.Mono;

/** The partitions of the cluster: changed through the coordinator's Raft log, read from its state. */
public interface PartitionCatalog {

    /**
     * Creates a partition and places its shards' replicas; fails with {@code PARTITION_EXISTS} on
     * a taken name and {@code NOT_ENOUGH_STORAGE_NODES} when fewer nodes are active than the
     * replication factor.
     */
    Mono<Partition> create(CreatePartitionRequest request);

    /** All partitions, oldest first. */
    Mono<List<Partition>> list();

    /** The partition with this id or name; fails with {@code PARTITION_NOT_FOUND}. */
    Mono<Partition> get(String idOrName);

    /** Changes a partition's retention and tags; fails with {@code PARTITION_NOT_FOUND}. */
    Mono<Partition> update(String idOrName, UpdatePartitionRequest request);

    /** Deletes a partition from the metadata; fails with {@code PARTITION_NOT_FOUND}. */
    Mono<Void> delete(String idOrName);
}
