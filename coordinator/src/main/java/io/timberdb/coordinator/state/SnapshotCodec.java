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
 * nodes           array    {id, address, state, registered_at}, sorted by id
 * partitions      array    {id, name, tags, retention_days, created_at, shards: [{shard, node}]}, oldest first
 * voters          array    {id, raft_address, http_url}, sorted by id (the voter directory; version 2)
 * </pre>
 *
 * Instants are ISO-8601 strings. The Raft layer keeps a CRC-32 of the file in the snapshot's
 * metadata and checks it before decoding.
 *
 * <p>Version history: 1 — format to partitions; 2 — adds {@code voters} (a version 1 file reads
 * as an empty directory, and must not have the field).
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
    /** The format version this build writes. */
    public static final int CURRENT = 2;
    /** The version that introduced the voter directory. */
    static final int VOTERS_SINCE = 2;

    private SnapshotCodec() {
    }

    /** The file content for a state (the view's coordinator part is not stored). */
    public static byte[] encode(MetadataSnapshot snapshot) {
        ClusterView view = snapshot.view();
        List<NodeEntry> nodes = view.nodes().stream()
                .map(n -> new NodeEntry(n.id(), n.address(), n.state(), n.registeredAt())).toList();
        List<PartitionEntry> partitions = view.partitions().stream()
                .map(p -> new PartitionEntry(p.id(), p.name(), p.tags(), p.retentionDays(), p.createdAt(),
                        p.shards().stream().map(s -> new ShardEntry(s.shard(), s.node())).toList(),
                        p.compression(), p.compressionLevel(), p.compressionThreshold()))
                .toList();
        return MetadataJson.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new Document(MAGIC, CURRENT, view.version(), nodes, partitions, snapshot.voters()));
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
            List<StorageNode> nodes = doc.nodes().stream()
                    .map(n -> new StorageNode(n.id(), n.address(), n.state(), n.registeredAt())).toList();
            List<Partition> partitions = doc.partitions().stream()
                    .map(p -> new Partition(p.id(), p.name(), p.tags(), p.retentionDays(), p.createdAt(),
                            p.shards().stream().map(s -> new Partition.ShardPlacement(s.shard(), s.node())).toList(),
                            p.compression(), p.compressionLevel(), p.compressionThreshold()))
                    .toList();
            return new MetadataSnapshot(new ClusterView(doc.version(), ClusterView.EMPTY.coordinator(), nodes, partitions),
                    doc.voters());
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new MetadataFormatException("snapshot", "malformed: " + e.getMessage(), e);
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

    @JsonPropertyOrder({"id", "address", "state", "registered_at"})
    record NodeEntry(String id, String address, StorageNode.State state,
                     @JsonProperty("registered_at") Instant registeredAt) {
    }

    /** Compression fields are left out when null, so snapshots of partitions without them read as in v1. */
    @JsonPropertyOrder({"id", "name", "tags", "retention_days", "created_at", "shards", "compression",
            "compression_level", "compression_threshold"})
    record PartitionEntry(String id, String name, Map<String, String> tags,
                          @JsonProperty("retention_days") int retentionDays,
                          @JsonProperty("created_at") Instant createdAt, List<ShardEntry> shards,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String compression,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("compression_level") Integer compressionLevel,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("compression_threshold")
                          Integer compressionThreshold) {
    }

    record ShardEntry(int shard, String node) {
    }
}
