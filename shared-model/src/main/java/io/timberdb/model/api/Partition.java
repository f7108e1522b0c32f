package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A partition: a named container of log entries, split into shards whose replicas live on
 * storage nodes.
 *
 * <p>JSON written before replicas existed (no {@code tenant}, {@code replication_factor},
 * {@code min_insync_replicas}; shards as {@code {shard, node}}) reads as tenant
 * {@value #DEFAULT_TENANT}, one replica, a minimum ISR of one and shard epoch 1.
 *
 * @param tenant the tenant that owns the partition; {@value #DEFAULT_TENANT} when none was given
 *        (never null, so that clients can group by it without a null case)
 * @param replicationFactor how many replicas each shard has, at least 1
 * @param minInsyncReplicas how many in-sync replicas a write needs (TDB-05), 1 to {@code replicationFactor}
 * @param shards where each shard lives; index {@code i} is shard {@code i}
 * @param compression the partition's codec, level and threshold; fields that are null (and left
 *        out of the JSON) mean the storage nodes' default
 */
public record Partition(
        String id,
        String name,
        Map<String, String> tags,
        @JsonProperty("retention_days") int retentionDays,
        @JsonProperty("created_at") Instant createdAt,
        List<ShardPlacement> shards,
        @JsonInclude(JsonInclude.Include.NON_NULL) String compression,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("compression_level") Integer compressionLevel,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("compression_threshold") Integer compressionThreshold,
        String tenant,
        @JsonProperty("replication_factor") int replicationFactor,
        @JsonProperty("min_insync_replicas") int minInsyncReplicas) {

    /** The tenant of a partition created without one. */
    public static final String DEFAULT_TENANT = "default";

    public Partition {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        shards = shards == null ? List.of() : List.copyOf(shards);
        tenant = tenant == null ? DEFAULT_TENANT : tenant;
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication_factor must be at least 1: " + replicationFactor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("min_insync_replicas must be 1.." + replicationFactor + ": " + minInsyncReplicas);
        }
    }

    /** A partition of the default tenant with one replica a shard (the shape before replicas). */
    public Partition(String id, String name, Map<String, String> tags, int retentionDays, Instant createdAt,
                     List<ShardPlacement> shards, String compression, Integer compressionLevel,
                     Integer compressionThreshold) {
        this(id, name, tags, retentionDays, createdAt, shards, compression, compressionLevel, compressionThreshold,
                null, 1, 1);
    }

    /** A partition with the storage nodes' default compression, of the default tenant, one replica a shard. */
    public Partition(String id, String name, Map<String, String> tags, int retentionDays, Instant createdAt,
                     List<ShardPlacement> shards) {
        this(id, name, tags, retentionDays, createdAt, shards, null, null, null);
    }

    /** Reads the JSON of any version: the fields added with replicas may be absent. */
    @JsonCreator
    static Partition fromJson(@JsonProperty("id") String id, @JsonProperty("name") String name,
                              @JsonProperty("tags") Map<String, String> tags,
                              @JsonProperty("retention_days") int retentionDays,
                              @JsonProperty("created_at") Instant createdAt,
                              @JsonProperty("shards") List<ShardPlacement> shards,
                              @JsonProperty("compression") String compression,
                              @JsonProperty("compression_level") Integer compressionLevel,
                              @JsonProperty("compression_threshold") Integer compressionThreshold,
                              @JsonProperty("tenant") String tenant,
                              @JsonProperty("replication_factor") Integer replicationFactor,
                              @JsonProperty("min_insync_replicas") Integer minInsyncReplicas) {
        int rf = replicationFactor == null ? 1 : replicationFactor;
        return new Partition(id, name, tags, retentionDays, createdAt, shards, compression, compressionLevel,
                compressionThreshold, tenant, rf, minInsyncReplicas == null ? 1 : minInsyncReplicas);
    }

    /** The same partition with another retention and other tags (a partition update). */
    public Partition withSettings(int newRetentionDays, Map<String, String> newTags) {
        return new Partition(id, name, newTags, newRetentionDays, createdAt, shards, compression, compressionLevel,
                compressionThreshold, tenant, replicationFactor, minInsyncReplicas);
    }

    /** The same partition with other shard placements. */
    public Partition withShards(List<ShardPlacement> newShards) {
        return new Partition(id, name, tags, retentionDays, createdAt, newShards, compression, compressionLevel,
                compressionThreshold, tenant, replicationFactor, minInsyncReplicas);
    }

    /** Whether this partition is the one a client named by id or by name. */
    public boolean isNamed(String idOrName) {
        return id.equals(idOrName) || name.equals(idOrName);
    }

    /**
     * The shard of a stream (source + tags): a stable hash, so that one stream's entries stay
     * together and in order on one shard.
     */
    public int shardOf(String source, Map<String, String> sortedTags) {
        if (shards.size() == 1) {
            return 0; // what the hash below comes to, without walking the tags of every entry
        }
        int h = source.hashCode();
        for (Map.Entry<String, String> tag : sortedTags.entrySet()) {
            h = 31 * h + tag.getKey().hashCode();
            h = 31 * h + tag.getValue().hashCode();
        }
        return Math.floorMod(h, shards.size());
    }

    /**
     * The placement of one shard: its replicas, which of them are in sync, and the epoch of the
     * assignment. Ingest writes to {@link #node()}, the leader; query reads one of {@link #isr()}
     * (the leader first), never a replica out of sync.
     *
     * <p>JSON of the shape before replicas, {@code {shard, node}}, reads as one replica on
     * {@code node}, in sync, epoch 1; JSON without {@code removing} has no move in flight.
     *
     * @param shard the shard index within the partition
     * @param node the id of the storage node that leads the shard: {@code replicas.get(0)}
     * @param replicas the node ids holding a replica, distinct, not empty, the leader first
     * @param isr the replicas in sync with the leader (TDB-05), a subset of {@code replicas};
     *        until replication exists every replica is listed
     * @param epoch the leader epoch, from 1, raised each time the leader or the replicas change (not
     *        when only the ISR does), so that a storage node can tell a stale assignment from a
     *        current one (TDB-05)
     * @param removing the replicas that leave once a move completes (TDB-05: a move first adds the
     *        new replica, and drops the old one only after the new one is in sync); distinct, a
     *        subset of {@code replicas}; empty, and absent from the JSON, when no move is in flight
     */
    public record ShardPlacement(int shard, String node, List<String> replicas, List<String> isr, long epoch,
                                 @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> removing) {

        public ShardPlacement {
            replicas = replicas == null || replicas.isEmpty()
                    ? List.of(Objects.requireNonNull(node, "node")) : List.copyOf(replicas);
            node = node == null ? replicas.get(0) : node;
            if (!node.equals(replicas.get(0))) {
                throw new IllegalArgumentException("shard " + shard + ": node " + node + " is not the first replica "
                        + replicas);
            }
            if (new HashSet<>(replicas).size() != replicas.size()) {
                throw new IllegalArgumentException("shard " + shard + " has two replicas on one node: " + replicas);
            }
            isr = isr == null ? replicas : List.copyOf(isr);
            if (!replicas.containsAll(isr)) {
                throw new IllegalArgumentException("shard " + shard + ": in-sync replicas " + isr
                        + " are not all replicas " + replicas);
            }
            if (epoch < 1) {
                throw new IllegalArgumentException("shard " + shard + ": epoch must be at least 1: " + epoch);
            }
            removing = removing == null ? List.of() : List.copyOf(removing);
            if (!replicas.containsAll(removing) || new HashSet<>(removing).size() != removing.size()) {
                throw new IllegalArgumentException("shard " + shard + ": the replicas being removed " + removing
                        + " are not distinct replicas " + replicas);
            }
        }

        /** No move in flight. */
        public ShardPlacement(int shard, String node, List<String> replicas, List<String> isr, long epoch) {
            this(shard, node, replicas, isr, epoch, List.of());
        }

        /** One replica on {@code node}, in sync, epoch 1 (the shape before replicas). */
        public ShardPlacement(int shard, String node) {
            this(shard, node, List.of(node), List.of(node), 1);
        }

        /** Replicas {@code replicas} (leader first), all in sync. */
        public ShardPlacement(int shard, List<String> replicas, long epoch) {
            this(shard, replicas.get(0), replicas, replicas, epoch);
        }

        /** Reads the JSON of any version: {@code replicas}, {@code isr}, {@code epoch} and {@code removing} may be absent. */
        @JsonCreator
        static ShardPlacement fromJson(@JsonProperty("shard") int shard, @JsonProperty("node") String node,
                                       @JsonProperty("replicas") List<String> replicas,
                                       @JsonProperty("isr") List<String> isr, @JsonProperty("epoch") Long epoch,
                                       @JsonProperty("removing") List<String> removing) {
            return new ShardPlacement(shard, node, replicas, isr, epoch == null ? 1 : epoch, removing);
        }

        /**
         * The replicas the shard keeps once its moves complete: {@code replicas} without
         * {@code removing}, in order.
         */
        public List<String> staying() {
            return removing.isEmpty() ? replicas : replicas.stream().filter(r -> !removing.contains(r)).toList();
        }
    }
}
