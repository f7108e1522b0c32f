package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The body of {@code POST /internal/v1/nodes}: a storage node registering or heartbeating.
 *
 * @param id the node id, e.g. {@code storage-2}
 * @param address the base URL of its internal HTTP API
 * @param zone its failure zone, or null when unknown
 * @param capacityBytes the bytes it offers for data, or null when unknown
 * @param shardBytes the bytes each shard it holds takes, keyed {@code <partition id>/<shard>}; empty
 *        when unknown. Kept in memory by the coordinator leader, never in the Raft log: it
 *        balances replica moves by it
 */
public record RegisterNodeRequest(String id, String address, @JsonInclude(JsonInclude.Include.NON_NULL) String zone,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("capacity_bytes") Long capacityBytes,
                                  @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("shard_bytes")
                                  Map<String, Long> shardBytes) {

    public RegisterNodeRequest {
        shardBytes = shardBytes == null ? Map.of() : Map.copyOf(shardBytes);
    }

    /** A registration without zone or capacity. */
    public RegisterNodeRequest(String id, String address) {
        this(id, address, null, null, null);
    }

    /** A registration without shard sizes. */
    public RegisterNodeRequest(String id, String address, String zone, Long capacityBytes) {
        this(id, address, zone, capacityBytes, null);
    }
}
