package io.timberdb.model.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A storage node as the coordinator knows it.
 *
 * @param id the node id, e.g. {@code storage-2}
 * @param address the base URL of its internal HTTP API, e.g. {@code http://127.0.0.1:7822}
 * @param state its membership state
 * @param registeredAt when it first registered
 * @param zone its failure zone (rack, availability zone), or null when not given (left out of the JSON)
 * @param capacityBytes the bytes it offers for data, or null when not given (left out of the JSON)
 */
public record StorageNode(String id, String address, State state, @JsonProperty("registered_at") Instant registeredAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String zone,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("capacity_bytes") Long capacityBytes) {

    /**
     * Membership states; only {@link #ACTIVE} nodes receive new shards.
     *
     * <ul>
     *   <li>{@code JOINING}: known, not ready for replicas (reserved; registration makes a node active)</li>
     *   <li>{@code ACTIVE}: receives replicas</li>
     *   <li>{@code DRAINING}: asked to leave; its replicas move away, it receives none</li>
     *   <li>{@code DEAD}: silent past the coordinator's node timeout; its replicas move away; a
     *       heartbeat makes it active again</li>
     *   <li>{@code DECOMMISSIONED}: drained and holding no replica; registration does not revive it</li>
     * </ul>
     */
    public enum State { JOINING, ACTIVE, DRAINING, DEAD, DECOMMISSIONED }

    /** A node of unknown zone and capacity. */
    public StorageNode(String id, String address, State state, Instant registeredAt) {
        this(id, address, state, registeredAt, null, null);
    }

    /** Whether new shards may be placed on this node. */
    public boolean acceptsShards() {
        return state == State.ACTIVE;
    }

    /** The same node in another state. */
    public StorageNode withState(State newState) {
        return new StorageNode(id, address, newState, registeredAt, zone, capacityBytes);
    }
}
