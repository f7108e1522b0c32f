package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.timberdb.model.error.TimberException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/partitions/create}: {@code {name, tags?, retention_days?,
 * compression?, compression_level?, compression_threshold?, shard_count?, replication_factor?,
 * min_insync_replicas?, tenant?}} (see {@link Compression}). Absent shard count and replication
 * factor take the server's defaults; an absent minimum ISR is {@link #defaultMinInsyncReplicas}
 * of the replication factor; an absent tenant is {@value Partition#DEFAULT_TENANT}.
 */
public record CreatePartitionRequest(
        String name,
        Map<String, String> tags,
        @JsonProperty("retention_days") Integer retentionDays,
        String compression,
        @JsonProperty("compression_level") Integer compressionLevel,
        @JsonProperty("compression_threshold") Integer compressionThreshold,
        @JsonProperty("shard_count") Integer shardCount,
        @JsonProperty("replication_factor") Integer replicationFactor,
        @JsonProperty("min_insync_replicas") Integer minInsyncReplicas,
        String tenant) {

    /** A request that leaves compression to the storage nodes' default. */
    public CreatePartitionRequest(String name, Map<String, String> tags, Integer retentionDays) {
        this(name, tags, retentionDays, null, null, null);
    }

    /** A request that leaves shards, replicas and tenant to the defaults. */
    public CreatePartitionRequest(String name, Map<String, String> tags, Integer retentionDays, String compression,
                                  Integer compressionLevel, Integer compressionThreshold) {
        this(name, tags, retentionDays, compression, compressionLevel, compressionThreshold, null, null, null, null);
    }

    /** The same request for {@code owner}'s tenant (the caller's, TDB-07). */
    public CreatePartitionRequest withTenant(String owner) {
        return new CreatePartitionRequest(name, tags, retentionDays, compression, compressionLevel, compressionThreshold,
                shardCount, replicationFactor, minInsyncReplicas, owner);
    }

    /** Partition and tenant names: letters, digits, '-', '_' and '.', starting with a letter or digit. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** The retention used when a request gives none. */
    public static final int DEFAULT_RETENTION_DAYS = 30;
    /** The most shards one partition may have. */
    public static final int MAX_SHARDS = 1024;
    /** The largest replication factor a request may ask for. */
    public static final int MAX_REPLICATION_FACTOR = 5;
    /** The minimum ISR asked for by default, or the replication factor when that is smaller. */
    public static final int DEFAULT_MIN_INSYNC_REPLICAS = 2;

    /** The minimum ISR of a partition that asks for none: 2, or the replication factor when smaller. */
    public static int defaultMinInsyncReplicas(int replicationFactor) {
        return Math.min(DEFAULT_MIN_INSYNC_REPLICAS, replicationFactor);
    }

    /**
     * Checks the request; returns it with defaults filled in, except shard count and replication
     * factor (the server's) and the minimum ISR when no replication factor is given (it depends on it).
     */
    public CreatePartitionRequest validated() {
        if (name == null) {
            throw TimberException.missingField("name");
        }
        if (!NAME.matcher(name).matches()) {
            throw TimberException.invalidField("name",
                    "must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (retentionDays != null && retentionDays < 1) {
            throw TimberException.invalidField("retention_days", "must be at least 1");
        }
        if (shardCount != null && (shardCount < 1 || shardCount > MAX_SHARDS)) {
            throw TimberException.invalidField("shard_count", "must be 1.." + MAX_SHARDS);
        }
        if (replicationFactor != null && (replicationFactor < 1 || replicationFactor > MAX_REPLICATION_FACTOR)) {
            throw TimberException.invalidField("replication_factor", "must be 1.." + MAX_REPLICATION_FACTOR);
        }
        int maxIsr = replicationFactor == null ? MAX_REPLICATION_FACTOR : replicationFactor;
        if (minInsyncReplicas != null && (minInsyncReplicas < 1 || minInsyncReplicas > maxIsr)) {
            throw TimberException.invalidField("min_insync_replicas",
                    "must be 1.." + maxIsr + (replicationFactor == null ? "" : " (the replication factor)"));
        }
        if (tenant != null && !NAME.matcher(tenant).matches()) {
            throw TimberException.invalidField("tenant",
                    "must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        Compression codec = Compression.validated(compression, compressionLevel, compressionThreshold);
        Integer minIsr = minInsyncReplicas == null && replicationFactor != null
                ? Integer.valueOf(defaultMinInsyncReplicas(replicationFactor)) : minInsyncReplicas;
        return new CreatePartitionRequest(name, tags == null ? Map.of() : tags,
                retentionDays == null ? DEFAULT_RETENTION_DAYS : retentionDays, codec.codec(), codec.level(),
                codec.threshold(), shardCount, replicationFactor, minIsr, tenant);
    }
}
