package io.timberdb.coordinator.api;

import io.timberdb.model.api.RegisterNodeRequest;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.TimberException;
import io.timberdb.security.audit.AuditLog;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Storage node membership. Stateless and thread-safe.
 *
 * <ul>
 *   <li>{@code POST /internal/v1/nodes} {@code {id, address, zone?, capacity_bytes?}} → {@link StorageNode}:
 *       a storage node registers, or re-announces itself; idempotent</li>
 *   <li>{@code POST /internal/v1/nodes/{id}/drain} → the draining node, or 404 {@code NODE_NOT_FOUND}</li>
 *   <li>{@code POST /internal/v1/nodes/{id}/decommission} → the node, decommissioned or draining until
 *       empty, or 404 {@code NODE_NOT_FOUND}</li>
 *   <li>{@code POST /internal/v1/nodes/{id}/activate} → the node, active again after a drain, or 404
 *       {@code NODE_NOT_FOUND}, or 400 {@code INVALID_FIELD} for a decommissioned node</li>
 * </ul>
 *
 * Drains, decommissions and activations go to the audit log (registrations are heartbeats, not
 * administration).
 */
@RestController
public class NodeController {

    private final NodeRegistry registry;
    private final AuditLog audit;

    public NodeController(NodeRegistry registry, AuditLog audit) {
        this.registry = registry;
        this.audit = audit;
    }

    @PostMapping("/internal/v1/nodes")
    public Mono<StorageNode> register(@RequestBody(required = false) Mono<RegisterNodeRequest> body) {
        return body.switchIfEmpty(Mono.error(() -> TimberException.missingField("id")))
                .flatMap(registry::register);
    }

    @PostMapping("/internal/v1/nodes/{id}/drain")
    public Mono<StorageNode> drain(@PathVariable String id, ServerHttpRequest http) {
        return audit.clusterAction("node.drain", id, HttpStatus.OK.value(), http, registry.drain(id));
    }

    @PostMapping("/internal/v1/nodes/{id}/activate")
    public Mono<StorageNode> activate(@PathVariable String id, ServerHttpRequest http) {
        return audit.clusterAction("node.activate", id, HttpStatus.OK.value(), http, registry.activate(id));
    }

    @PostMapping("/internal/v1/nodes/{id}/decommission")
    public Mono<StorageNode> decommission(@PathVariable String id, ServerHttpRequest http) {
        return audit.clusterAction("node.decommission", id, HttpStatus.OK.value(), http, registry.decommission(id));
    }
}
