package io.timberdb.coordinator.api;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.Result;
import io.timberdb.model.api.Compression;
import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.UpdatePartitionRequest;
import io.timberdb.model.client.CoordinatorClient;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.cluster.PartitionCatalog;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.id.EntryIds;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;

/**
 * The partitions, kept in the metadata Raft group: a creation is proposed on the leader (or
 * forwarded to it, see {@link LeaderForwarder}) with its id, creation time, shard count and
 * replication factor chosen here (the request's, else the configured defaults, the replication
 * factor capped by the active storage nodes); updates and
 * deletions name the partition by id or name, resolved here and again on the leader; reads come
 * from the local state, refreshed with a read index on a miss.
 *
 * <p>A deletion retried after the leader committed it (its answer lost) answers
 * {@code PARTITION_NOT_FOUND}: the partition is gone either way.
 *
 * <p>Thread-safe: the id generator is synchronized, everything else is immutable.
 */
public final class RaftPartitionCatalog implements PartitionCatalog {

    /** The route a follower forwards creations to. */
    static final String CREATE_PATH = "/api/v1/partitions/create";
    /** The internal route a follower forwards creations made for a cluster process's caller to. */
    static final String INTERNAL_CREATE_PATH = CoordinatorClient.CREATE_PARTITION_PATH;
    /** The route of one partition, which a follower forwards updates and deletions to. */
    static final String PARTITION_PATH = "/api/v1/partitions/";

    private final MetadataGroup group;
    private final LeaderForwarder forwarder;
    private final InstantSource clock;
    private final int shardCount;
    private final int replicationFactor;
    private final EntryIds ids;
    private final ClusterViewSource views;

    /** A catalog whose partitions have one replica a shard unless a request asks for more. */
    public RaftPartitionCatalog(MetadataGroup group, LeaderForwarder forwarder, InstantSource clock, int shardCount) {
        this(group, forwarder, clock, shardCount, 1);
    }

    /**
     * @param shardCount the shards of a new partition whose request gives none
     *        ({@code timberdb.coordinator.default-shard-count})
     * @param replicationFactor the replicas a shard of a new partition whose request gives none
     *        ({@code timberdb.coordinator.default-replication-factor})
     */
    public RaftPartitionCatalog(MetadataGroup group, LeaderForwarder forwarder, InstantSource clock, int shardCount,
                                int replicationFactor) {
        if (shardCount < 1 || shardCount > Command.MAX_SHARDS) {
            throw new IllegalArgumentException("shard count must be 1.." + Command.MAX_SHARDS + ": " + shardCount);
        }
        if (replicationFactor < 1 || replicationFactor > CreatePartitionRequest.MAX_REPLICATION_FACTOR) {
            throw new IllegalArgumentException("replication factor must be 1.."
                    + CreatePartitionRequest.MAX_REPLICATION_FACTOR + ": " + replicationFactor);
        }
        this.replicationFactor = replicationFactor;
        this.group = group;
        this.forwarder = forwarder;
        this.clock = clock;
        this.shardCount = shardCount;
        this.ids = new EntryIds(clock);
        this.views = new RaftClusterViewSource(group);
    }

    @Override
    public Mono<Partition> create(CreatePartitionRequest request) {
        return create(request, CREATE_PATH);
    }

    /**
     * As {@link #create}, for a cluster process acting for one of its callers, in the tenant the
     * request names (the ingest service's auto-create, {@code POST /internal/v1/partitions}): a
     * follower forwards it to the leader's same internal route, which the cluster credential
     * opens, not to the public one, which wants the caller's admin token.
     */
    public Mono<Partition> createForService(CreatePartitionRequest request) {
        return create(request, INTERNAL_CREATE_PATH);
    }

    private Mono<Partition> create(CreatePartitionRequest request, String forwardPath) {
        return Mono.fromSupplier(request::validated).flatMap(valid -> Mono.deferContextual(context -> {
            // a forwarded creation keeps the id and time its first voter chose (see LeaderForwarder)
            String id = checkedId(context.getOrDefault(LeaderForwarder.COMMAND_ID_KEY, null));
            String time = context.getOrDefault(LeaderForwarder.COMMAND_TIME_KEY, null);
            Instant at = time == null ? clock.instant().truncatedTo(ChronoUnit.MILLIS) : parseTime(time);
            int rf = valid.replicationFactor() == null ? defaultReplicationFactor() : valid.replicationFactor();
            int minIsr = valid.minInsyncReplicas() == null
                    ? CreatePartitionRequest.defaultMinInsyncReplicas(rf) : valid.minInsyncReplicas();
            if (minIsr > rf) {
                throw TimberException.invalidField("min_insync_replicas",
                        "must be 1.." + rf + " (the replication factor)");
            }
            Command command = new Command.CreatePartition(id == null ? ids.next() : id, valid.name(), valid.tags(),
                    valid.retentionDays(), at, valid.shardCount() == null ? shardCount : valid.shardCount(),
                    valid.compression() == null && valid.compressionLevel() == null && valid.compressionThreshold() == null
                            ? null : new Compression(valid.compression(), valid.compressionLevel(), valid.compressionThreshold()),
                    rf, minIsr, valid.tenant());
            return forwarder.submit(command, RaftPartitionCatalog::created, forwardPath, valid, Partition.class);
        }));
    }

    /**
     * The replicas of a new partition whose request gives none: the configured default, or as
     * many as storage nodes are active when fewer are (at least 1). The default must not make a
     * small or still-starting cluster refuse every partition; a request that names its
     * replication factor asks for that guarantee, and is refused when it cannot have it. The
     * count is this voter's view when the command is made; on a follower the leader makes the
     * command again with its own.
     */
    private int defaultReplicationFactor() {
        return defaultReplicationFactor(replicationFactor, group.view());
    }

    /** The configured default capped by the active storage nodes of the view, at least 1. */
    static int defaultReplicationFactor(int configured, ClusterView view) {
        long active = view.nodes().stream().filter(StorageNode::acceptsShards).count();
        return (int) Math.max(1, Math.min(configured, active));
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
    public Mono<List<Partition>> list(String tenant) {
        return Mono.fromSupplier(() -> group.view().partitionsOf(tenant));
    }

    @Override
    public Mono<Partition> get(String tenant, String idOrName) {
        return views.partition(tenant, idOrName);
    }

    @Override
    public Mono<Partition> update(String tenant, String idOrName, UpdatePartitionRequest request) {
        return Mono.fromSupplier(request::validated).flatMap(valid -> views.partition(tenant, idOrName).flatMap(known ->
                forwarder.submit(new Command.UpdatePartition(known.id(), valid.retentionDays(), valid.tags()),
                        result -> changed(result, known.id()), HttpMethod.PATCH, PARTITION_PATH + known.id(), valid,
                        Partition.class)));
    }

    @Override
    public Mono<Void> delete(String tenant, String idOrName) {
        return views.partition(tenant, idOrName).flatMap(known ->
                forwarder.submit(new Command.DeletePartition(known.id()), result -> changed(result, known.id()),
                        HttpMethod.DELETE, PARTITION_PATH + known.id(), null, Partition.class)).then();
    }

    private static Partition changed(Result result, String id) {
        if (result instanceof Result.PartitionUpdated updated) {
            return updated.partition();
        }
        if (result instanceof Result.PartitionDeleted deleted) {
            return deleted.partition();
        }
        if (result instanceof Result.PartitionNotFound) {
            throw TimberException.partitionNotFound(id);
        }
        throw new TimberException(ErrorCode.INTERNAL, "the metadata group refused the change: " + result);
    }

    private static Partition created(Result result) {
        if (result instanceof Result.PartitionCreated created) {
            return created.partition();
        }
        if (result instanceof Result.PartitionExists exists) {
            throw new TimberException(ErrorCode.PARTITION_EXISTS, "a partition named '" + exists.existing().name()
                    + "' already exists (id " + exists.existing().id() + ")", "name");
        }
        if (result instanceof Result.NotEnoughNodes notEnough) {
            throw new TimberException(ErrorCode.NOT_ENOUGH_STORAGE_NODES, "replication_factor " + notEnough.replicationFactor()
                    + " needs as many active storage nodes, but " + notEnough.activeNodes()
                    + " are active; ask for fewer replicas or start more storage nodes", "replication_factor");
        }
        if (result instanceof Result.NoStorageNodes) {
            throw new TimberException(ErrorCode.NO_STORAGE_NODES,
                    "no storage node is active, so the partition's shards cannot be placed; start a storage node first");
        }
        throw new TimberException(ErrorCode.INTERNAL, "the metadata group refused the partition: " + result);
    }
}
