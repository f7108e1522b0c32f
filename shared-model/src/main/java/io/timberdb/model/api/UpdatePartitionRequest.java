package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.timberdb.model.error.TimberException;
import java.util.Map;

/**
 * The body of {@code PATCH /api/v1/partitions/{id}}: {@code {retention_days?, tags?}}. An
 * absent field keeps the partition's value; {@code tags} replaces the whole tag map.
 */
public record UpdatePartitionRequest(@JsonProperty("retention_days") Integer retentionDays,
                                     Map<String, String> tags) {

    /** Checks the request; it must change something. */
    public UpdatePartitionRequest validated() {
        if (retentionDays == null && tags == null) {
            throw TimberException.missingField("retention_days");
        }
        if (retentionDays != null && retentionDays < 1) {
            throw TimberException.invalidField("retention_days", "must be at least 1");
        }
        return this;
    }
}
