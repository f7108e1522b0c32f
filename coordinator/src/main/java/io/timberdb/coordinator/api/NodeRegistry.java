package io.timberdb.coordinator.api;

import io.timberdb.model.api.RegisterNodeRequest;
import io.timberdb.model.cluster.StorageNode;
import reactor.core.publisher.Mono;

/**
 * The storage nodes the coordinator knows: {@code POST /internal/v1/nodes} registers one,
 * {@code POST /internal/v1/nodes/{id}/drain} and {@code .../decommission} take one out,
 * {@code .../activate} brings a drained one back.
 * Implementations: {@link RaftNodeRegistry} (through the metadata Raft group). Implementations
 * must be thread-safe: requests call them concurrently.
 */
public interface NodeRegistry {

    /**
     * Registers a storage node, or re-announces it (a heartbeat); idempotent. A draining or
     * decommissioned node keeps its state; a dead one becomes active again.
     *
     * @param request the node's id, the base URL of its internal HTTP API, its zone and capacity (optional)
     * @return the node as registered; fails with {@code MISSING_FIELD}/{@code INVALID_FIELD} on bad
     *         input and {@code UNAVAILABLE} when no coordinator leader can take the registration
     */
    Mono<StorageNode> register(RegisterNodeRequest request);

    /** Registers a node of unknown zone and capacity. */
    default Mono<StorageNode> register(String id, String address) {
        return register(new RegisterNodeRequest(id, address));
    }

    /**
     * Drains a storage node: it receives no new replicas and its replicas move away; it stays
     * draining once empty (registration does not make it active again).
     *
     * @return the node as drained; fails with {@code NODE_NOT_FOUND} for an unknown id
     */
    Mono<StorageNode> drain(String id);

    /**
     * Decommissions a storage node: at once when it holds no replica, else it drains first and
     * becomes decommissioned when its last replica has moved away.
     *
     * @return the node, decommissioned or draining; fails with {@code NODE_NOT_FOUND} for an unknown id
     */
    Mono<StorageNode> decommission(String id);

    /**
     * Makes a draining or dead node active again (an undrain; a pending decommission is
     * withdrawn). Fails with {@code NODE_NOT_FOUND} for an unknown id and {@code INVALID_FIELD}
     * ({@code id}) for a decommissioned node, which is never revived.
     */
    Mono<StorageNode> activate(String id);
}
