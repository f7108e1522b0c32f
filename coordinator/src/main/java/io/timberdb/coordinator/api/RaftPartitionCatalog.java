package io.timberdb.coordinator.api;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.Result;
import io.timberdb.model.api.Compression;
import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.cluster.PartitionCatalog;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.id.EntryIds;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The partitions, kept in the metadata Raft group: a creation is proposed on the leader (or
 * forwarded to it, see {@link LeaderForwarder}) with its id, creation time and shard count
 * chosen here; reads come from the local state, refreshed with a read index on a miss.
 *
 * <p>Thread-safe: the id generator is synchronized, everything else is immutable.
 */
public final class RaftPartitionCatalog implements PartitionCatalog {

    /** The route a follower forwards creations to. */
    static final String CREATE_PATH = "/api/v1/partitions/create";

    private final MetadataGroup group;
    private final LeaderForwarder forwarder;
    private final InstantSource clock;
    private final int shardCount;
    private final EntryIds ids;
    private final ClusterViewSource views;

    /**
     * @param shardCount the shards of each new partition ({@code timberdb.coordinator.default-shard-count})
     */
    public RaftPartitionCatalog(MetadataGroup group, LeaderForwarder forwarder, InstantSource clock, int shardCount) {
        if (shardCount < 1 || shardCount > Command.MAX_SHARDS) {
            throw new IllegalArgumentException("shard count must be 1.." + Command.MAX_SHARDS + ": " + shardCount);
        }
        this.group = group;
        this.forwarder = forwarder;
        this.clock = clock;
        this.shardCount = shardCount;
        this.ids = new EntryIds(clock);
        this.views = new RaftClusterViewSource(group);
    }

    @Override
    public Mono<Partition> create(CreatePartitionRequest request) {
        return Mono.fromSupplier(request::validated).flatMap(valid -> Mono.deferContextual(context -> {
            // a forwarded creation keeps the id and time its first voter chose (see LeaderForwarder)
            String id = checkedId(context.getOrDefault(LeaderForwarder.COMMAND_ID_KEY, null));
            String time = context.getOrDefault(LeaderForwarder.COMMAND_TIME_KEY, null);
            Instant at = time == null ? clock.instant().truncatedTo(ChronoUnit.MILLIS) : parseTime(time);
            Command command = new Command.CreatePartition(id == null ? ids.next() : id, valid.name(), valid.tags(),
                    valid.retentionDays(), at, shardCount,
                    valid.compression() == null && valid.compressionLevel() == null && valid.compressionThreshold() == null
                            ? null : new Compression(valid.compression(), valid.compressionLevel(), valid.compressionThreshold()));
            return forwarder.submit(command, RaftPartitionCatalog::created, CREATE_PATH, valid, Partition.class);
        }));
    }

    /** A forwarded partition id: a canonical UUID, as voters make them. */
    private static String checkedId(String id) {
        try {
            if (id == null || java.util.UUID.fromString(id).toString().equals(id)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // not a UUID at all
        }
        throw TimberException.invalidField(LeaderForwarder.COMMAND_ID_HEADER, "must be a canonical UUID");
    }

    private static Instant parseTime(String time) {
        try {
            return Instant.parse(time);
        } catch (java.time.format.DateTimeParseException e) {
            throw TimberException.invalidField(LeaderForwarder.COMMAND_TIME_HEADER, "must be an RFC 3339 instant");
        }
    }

    @Override
    public Mono<List<Partition>> list() {
        return Mono.fromSupplier(() -> group.view().partitions());
    }

    @Override
    public Mono<Partition> get(String idOrName) {
        return views.partition(idOrName);
    }

    private static Partition created(Result result) {
        if (result instanceof Result.PartitionCreated created) {
            return created.partition();
        }
        if (result instanceof Result.PartitionExists exists) {
            throw new TimberException(ErrorCode.PARTITION_EXISTS, "a partition named '" + exists.existing().name()
                    + "' already exists (id " + exists.existing().id() + ")", "name");
        }
        if (result instanceof Result.NoStorageNodes) {
            throw new TimberException(ErrorCode.NO_STORAGE_NODES,
                    "no storage node is active, so the partition's shards cannot be placed; start a storage node first");
        }
        throw new TimberException(ErrorCode.INTERNAL, "the metadata group refused the partition: " + result);
    }
}
