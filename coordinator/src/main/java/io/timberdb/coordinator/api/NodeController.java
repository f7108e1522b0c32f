package io.timberdb.coordinator.api;

import io.timberdb.model.api.RegisterNodeRequest;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.TimberException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /internal/v1/nodes} {@code {id, address, zone?, capacity_bytes?}} → {@link StorageNode}: a storage node
 * registers, or re-announces itself; idempotent. Stateless and thread-safe.
 */
@RestController
public class NodeController {

    private final NodeRegistry registry;

    public NodeController(NodeRegistry registry) {
        this.registry = registry;
    }

    @PostMapping("/internal/v1/nodes")
    public Mono<StorageNode> register(@RequestBody(required = false) Mono<RegisterNodeRequest> body) {
        return body.switchIfEmpty(Mono.error(() -> TimberException.missingField("id")))
                .flatMap(registry::register);
    }
}
