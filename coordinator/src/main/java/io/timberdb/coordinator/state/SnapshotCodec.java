package io.timberdb.coordinator.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The metadata snapshot file, {@value #FILE_NAME}: one UTF-8 JSON document whose first two
 * fields identify the format.
 *
 * <pre>
 * field           type     meaning
 * format          string   the magic: "timberdb-metadata-snapshot"
 * format_version  int      the format version
 * version         long     the metadata version the snapshot holds
 * nodes           array    {id, address, state, registered_at, zone?, capacity_bytes?,
 *                          decommission_pending?}, sorted by id (the last three: version 3, left out when
 *                          null or false)
 * partitions      array    {id, name, tags, retention_days, created_at, shards, compression?,
 *                          compression_level?, compression_threshold?, tenant, replication_factor,
 *                          min_insync_replicas}, oldest first (the last three: version 3)
 *   shards        array    version 1, 2: [{shard, node}]; version 3: [{shard, replicas, isr, epoch}]
 *                          (replicas leader first); version 4: + removing (the replicas a move in
 *                          flight drops, left out when empty)
 * voters          array    {id, raft_address, http_url}, sorted by id (the voter directory; version 2)
 * </pre>
 *
 * Instants are ISO-8601 strings. The Raft layer keeps a CRC-32 of the file in the snapshot's
 * metadata and checks it before decoding.
 *
 * <p>Version history: 1 — format to partitions; 2 — adds {@code voters} (a version 1 file reads
 * as an empty directory, and must not have the field); 3 — replicas and membership: shards as
 * {@code {shard, replicas, isr, epoch}}, the partitions' tenant, replication factor and minimum
 * ISR, the nodes' zone, capacity and pending decommission. A version 1 or 2 file reads as one
 * replica a shard, in sync, epoch 1, tenant {@value Partition#DEFAULT_TENANT}, replication
 * factor and minimum ISR 1, no zone, capacity or pending decommission; it must not have the
 * version 3 fields, nor a version 3 file a shard's {@code node}. 4 — moves copy before they cut
 * (TDB-05): a shard's {@code removing}; a file of an older version has none and must not have it.
 *
 * <p>A file carries the oldest version that can read it: a state without moves in flight is
 * written as version 3, byte for byte as before, so that a build of version 3 can still load it.
 *
 * <p>Stateless and thread-safe.
 */
public final class SnapshotCodec {

    /** The name of the file inside a Raft snapshot directory. */
    public static final String FILE_NAME = "metadata.json";
    /** The value of the {@code format} field. */
    public static final String MAGIC = "timberdb-metadata-snapshot";
    /** The oldest format version this build reads. */
    public static final int MIN_SUPPORTED = 1;
    /** The newest format version this build writes (when a move is in flight). */
    public static final int CURRENT = 4;
    /** The version that introduced the voter directory. */
    static final int VOTERS_SINCE = 2;
    /** The version that introduced replicas and membership. */
    static final int REPLICAS_SINCE = 3;
    /** The version that introduced moves in flight (a shard's {@code removing}). */
    static final int MOVES_SINCE = 4;

    private SnapshotCodec() {
    }

    /** The file content for a state (the view's coordinator part is not stored). */
    public static byte[] encode(MetadataSnapshot snapshot) {
        ClusterView view = snapshot.view();
        List<NodeEntry> nodes = view.nodes().stream()
                .map(n -> new NodeEntry(n.id(), n.address(), n.state(), n.registeredAt(), n.zone(), n.capacityBytes(),
                        snapshot.decommissioning().contains(n.id()) ? Boolean.TRUE : null)).toList();
        List<PartitionEntry> partitions = view.partitions().stream()
                .map(p -> new PartitionEntry(p.id(), p.name(), p.tags(), p.retentionDays(), p.createdAt(),
                        p.shards().stream().map(s -> new ShardEntry(s.shard(), null, s.replicas(), s.isr(), s.epoch(),
                                        s.removing().isEmpty() ? null : s.removing())).toList(),
                        p.compression(), p.compressionLevel(), p.compressionThreshold(), p.tenant(),
                        p.replicationFactor(), p.minInsyncReplicas()))
                .toList();
        boolean moving = view.partitions().stream().flatMap(p -> p.shards().stream())
                .anyMatch(s -> !s.removing().isEmpty());
        return MetadataJson.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new Document(MAGIC, moving ? MOVES_SINCE : REPLICAS_SINCE, view.version(), nodes,
                        partitions, snapshot.voters()));
    }

    /**
     * The state in a snapshot file, its view with an empty coordinator part.
     *
     * @throws MetadataFormatException when the content is not a snapshot this build reads
     */
    public static MetadataSnapshot decode(byte[] content) {
        try {
            JsonNode tree = MetadataJson.MAPPER.readTree(content);
            if (tree == null || !tree.isObject() || !MAGIC.equals(tree.path("format").asString(null))) {
                throw new MetadataFormatException("snapshot", "not a TimberDB metadata snapshot");
            }
            JsonNode version = tree.path("format_version");
            if (!version.isIntegralNumber() || version.asInt() < MIN_SUPPORTED || version.asInt() > CURRENT) {
                throw new MetadataFormatException("snapshot", "unsupported format version " + version
                        + " (this build reads " + MIN_SUPPORTED + ".." + CURRENT + ")");
            }
            if (version.asInt() < VOTERS_SINCE && tree.has("voters")) {
                throw new MetadataFormatException("snapshot", "malformed: a version " + version.asInt()
                        + " snapshot has no voters field");
            }
            Document doc = MetadataJson.MAPPER.treeToValue(tree, Document.class);
            boolean v3 = version.asInt() >= REPLICAS_SINCE;
            List<StorageNode> nodes = doc.nodes().stream().map(n -> {
                require(v3 || n.zone() == null && n.capacityBytes() == null && n.decommissionPending() == null,
                        "a version " + version.asInt() + " node has no zone, capacity or decommission");
                return new StorageNode(n.id(), n.address(), n.state(), n.registeredAt(), n.zone(), n.capacityBytes());
            }).toList();
            List<String> decommissioning = doc.nodes().stream()
                    .filter(n -> Boolean.TRUE.equals(n.decommissionPending())).map(NodeEntry::id).toList();
            List<Partition> partitions = doc.partitions().stream().map(p -> partition(p, v3, version.asInt())).toList();
            return new MetadataSnapshot(new ClusterView(doc.version(), ClusterView.EMPTY.coordinator(), nodes, partitions),
                    doc.voters(), decommissioning);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new MetadataFormatException("snapshot", "malformed: " + e.getMessage(), e);
        }
    }

    private static Partition partition(PartitionEntry p, boolean v3, int version) {
        require(v3 == (p.tenant() != null) && v3 == (p.replicationFactor() != null) && v3 == (p.minInsyncReplicas() != null),
                "a version " + version + " partition " + (v3 ? "needs" : "has no") + " tenant, replication_factor"
                        + " and min_insync_replicas");
        List<Partition.ShardPlacement> shards = p.shards().stream().map(s -> {
            require(v3 ? s.node() == null && s.replicas() != null && s.isr() != null && s.epoch() != null
                            : s.node() != null && s.replicas() == null && s.isr() == null && s.epoch() == null,
                    "a version " + version + " shard is " + (v3 ? "{shard, replicas, isr, epoch}" : "{shard, node}"));
            require(version >= MOVES_SINCE || s.removing() == null, "a version " + version + " shard has no removing");
            return v3 ? new Partition.ShardPlacement(s.shard(), s.replicas().get(0), s.replicas(), s.isr(), s.epoch(),
                    s.removing())
                    : new Partition.ShardPlacement(s.shard(), s.node());
        }).toList();
        return v3 ? new Partition(p.id(), p.name(), p.tags(), p.retentionDays(), p.createdAt(), shards, p.compression(),
                p.compressionLevel(), p.compressionThreshold(), p.tenant(), p.replicationFactor(), p.minInsyncReplicas())
                : new Partition(p.id(), p.name(), p.tags(), p.retentionDays(), p.createdAt(), shards, p.compression(),
                p.compressionLevel(), p.compressionThreshold());
    }

    private static void require(boolean condition, String otherwise) {
        if (!condition) {
            throw new MetadataFormatException("snapshot", "malformed: " + otherwise);
        }
    }

    @JsonPropertyOrder({"format", "format_version", "version", "nodes", "partitions", "voters"})
    record Document(String format, @JsonProperty("format_version") int formatVersion, long version,
                    List<NodeEntry> nodes, List<PartitionEntry> partitions, List<VoterAddress> voters) {
        Document {
            nodes = nodes == null ? List.of() : nodes;
            partitions = partitions == null ? List.of() : partitions;
            voters = voters == null ? List.of() : voters;
        }
    }

    @JsonPropertyOrder({"id", "address", "state", "registered_at", "zone", "capacity_bytes", "decommission_pending"})
    record NodeEntry(String id, String address, StorageNode.State state,
                     @JsonProperty("registered_at") Instant registeredAt,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String zone,
                     @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("capacity_bytes") Long capacityBytes,
                     @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("decommission_pending")
                     Boolean decommissionPending) {
    }

    /** Compression fields are left out when null, so snapshots of partitions without them read as in v1. */
    @JsonPropertyOrder({"id", "name", "tags", "retention_days", "created_at", "shards", "compression",
            "compression_level", "compression_threshold", "tenant", "replication_factor", "min_insync_replicas"})
    record PartitionEntry(String id, String name, Map<String, String> tags,
                          @JsonProperty("retention_days") int retentionDays,
                          @JsonProperty("created_at") Instant createdAt, List<ShardEntry> shards,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String compression,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("compression_level") Integer compressionLevel,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("compression_threshold")
                          Integer compressionThreshold,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String tenant,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("replication_factor")
                          Integer replicationFactor,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("min_insync_replicas")
                          Integer minInsyncReplicas) {
    }

    /** Version 1 and 2: {@code {shard, node}}; version 3: {@code {shard, replicas, isr, epoch}}; version 4: + removing. */
    @JsonPropertyOrder({"shard", "node", "replicas", "isr", "epoch", "removing"})
    record ShardEntry(int shard, @JsonInclude(JsonInclude.Include.NON_NULL) String node,
                      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> replicas,
                      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> isr,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Long epoch,
                      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> removing) {
    }
}
