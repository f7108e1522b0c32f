package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A partition: a named container of log entries, split into shards that live on storage nodes.
 *
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
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("compression_threshold") Integer compressionThreshold) {

    public Partition {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        shards = shards == null ? List.of() : List.copyOf(shards);
    }

    /** A partition with the storage nodes' default compression. */
    public Partition(String id, String name, Map<String, String> tags, int retentionDays, Instant createdAt,
                     List<ShardPlacement> shards) {
        this(id, name, tags, retentionDays, createdAt, shards, null, null, null);
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
     * The placement of one shard.
     *
     * @param shard the shard index within the partition
     * @param node the id of the storage node that holds it
     */
    public record ShardPlacement(int shard, String node) {
    }
}
