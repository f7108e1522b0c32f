package io.timberdb.model.cluster;

import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import java.util.List;
import reactor.core.publisher.Mono;

/** The partitions of the cluster: created through the coordinator's Raft log, read from its state. */
public interface PartitionCatalog {

    /** Creates a partition and places its shards; fails with {@code PARTITION_EXISTS} on a taken name. */
    Mono<Partition> create(CreatePartitionRequest request);

    /** All partitions, oldest first. */
    Mono<List<Partition>> list();

    /** The partition with this id or name; fails with {@code PARTITION_NOT_FOUND}. */
    Mono<Partition> get(String idOrName);
}
