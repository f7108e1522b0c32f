package io.timberdb.model.web;

import io.timberdb.model.api.HealthResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /health}: the spec's health document, {@code {status, version, node_id,
 * uptime_seconds, role, details}}; 503 when a contributor reports {@code DOWN}. Kubernetes
 * probes use the actuator groups instead ({@code /actuator/health/liveness|readiness}).
 */
@RestController
public class HealthController {

    private final NodeIdentity identity;
    private final InstantSource clock;
    private final List<HealthDetails> contributors;

    public HealthController(NodeIdentity identity, InstantSource clock, List<HealthDetails> contributors) {
        this.identity = identity;
        this.clock = clock;
        this.contributors = contributors;
    }

    @GetMapping("/health")
    public Mono<ResponseEntity<HealthResponse>> health() {
        return Flux.fromIterable(contributors)
                .concatMap(HealthDetails::details)
                .collect(LinkedHashMap<String, Object>::new, Map::putAll)
                .map(details -> {
                    boolean down = "DOWN".equals(details.remove("status"));
                    long uptime = Duration.between(identity.startedAt(), clock.instant()).toSeconds();
                    HealthResponse body = new HealthResponse(down ? "DOWN" : "UP", identity.version(),
                            identity.nodeId(), identity.role(), uptime, details);
                    return ResponseEntity.status(down ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK).body(body);
                });
    }
}
