package io.timberdb.model.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A storage node as the coordinator knows it.
 *
 * @param id the node id, e.g. {@code storage-2}
 * @param address the base URL of its internal HTTP API, e.g. {@code http://127.0.0.1:7822}
 * @param state its membership state
 * @param registeredAt when it first registered
 */
public record StorageNode(String id, String address, State state, @JsonProperty("registered_at") Instant registeredAt) {

    /** Membership states; only {@link #ACTIVE} nodes receive new shards. */
    public enum State { JOINING, ACTIVE, DRAINING, DEAD, DECOMMISSIONED }

    /** Whether new shards may be placed on this node. */
    public boolean acceptsShards() {
        return state == State.ACTIVE;
    }

}
