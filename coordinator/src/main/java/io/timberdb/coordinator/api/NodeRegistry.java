package io.timberdb.coordinator.api;

import io.timberdb.model.cluster.StorageNode;
import reactor.core.publisher.Mono;

/**
 * The storage nodes the coordinator knows: {@code POST /internal/v1/nodes} registers one.
 * Implementations: {@link RaftNodeRegistry} (through the metadata Raft group). Implementations
 * must be thread-safe: requests call them concurrently.
 */
public interface NodeRegistry {

    /**
     * Registers a storage node, or re-announces it (a heartbeat); idempotent.
     *
     * @param id the node id, e.g. {@code storage-2}
     * @param address the base URL of its internal HTTP API
     * @return the node as registered; fails with {@code MISSING_FIELD}/{@code INVALID_FIELD} on bad
     *         input and {@code UNAVAILABLE} when no coordinator leader can take the registration
     */
    Mono<StorageNode> register(String id, String address);
}
