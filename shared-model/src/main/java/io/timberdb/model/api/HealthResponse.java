package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The body of {@code GET /health}.
 *
 * @param status {@code UP} or {@code DOWN}
 * @param role which role answers: {@code standalone}, {@code gateway}, {@code coordinator}, ...
 * @param details role-specific facts (the coordinator leader, registered nodes, ...)
 */
public record HealthResponse(
        String status,
        String version,
        @JsonProperty("node_id") String nodeId,
        String role,
        @JsonProperty("uptime_seconds") long uptimeSeconds,
        Map<String, Object> details) {
}
