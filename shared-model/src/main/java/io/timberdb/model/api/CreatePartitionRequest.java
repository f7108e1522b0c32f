package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.timberdb.model.error.TimberException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/partitions/create}: {@code {name, tags?, retention_days?,
 * compression?, compression_level?, compression_threshold?}} (see {@link Compression}).
 */
public record CreatePartitionRequest(
        String name,
        Map<String, String> tags,
        @JsonProperty("retention_days") Integer retentionDays,
        String compression,
        @JsonProperty("compression_level") Integer compressionLevel,
        @JsonProperty("compression_threshold") Integer compressionThreshold) {

    /** A request that leaves compression to the storage nodes' default. */
    public CreatePartitionRequest(String name, Map<String, String> tags, Integer retentionDays) {
        this(name, tags, retentionDays, null, null, null);
    }

    /** Partition names: letters, digits, '-', '_' and '.', starting with a letter or digit. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** The retention used when a request gives none. */
    public static final int DEFAULT_RETENTION_DAYS = 30;

    /** Checks the request; returns it with defaults filled in. */
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
        Compression codec = Compression.validated(compression, compressionLevel, compressionThreshold);
        return new CreatePartitionRequest(name, tags == null ? Map.of() : tags,
                retentionDays == null ? DEFAULT_RETENTION_DAYS : retentionDays, codec.codec(), codec.level(),
                codec.threshold());
    }
}
