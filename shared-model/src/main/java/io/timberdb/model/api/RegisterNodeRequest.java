package io.timberdb.model.api;

/**
 * The body of {@code POST /internal/v1/nodes}: a storage node registering or heartbeating.
 *
 * @param id the node id, e.g. {@code storage-2}
 * @param address the base URL of its internal HTTP API
 */
public record RegisterNodeRequest(String id, String address) {
}
