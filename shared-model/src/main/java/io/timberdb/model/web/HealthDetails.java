package io.timberdb.model.web;

import java.util.Map;
import reactor.core.publisher.Mono;

/** Role-specific facts and status for {@code GET /health}; each service contributes one bean. */
public interface HealthDetails {

    /** Facts to show under {@code details}; a key {@code "status"} of {@code "DOWN"} makes the node DOWN. */
    Mono<Map<String, Object>> details();
}
