package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /internal/v1/nodes}: a storage node registering or heartbeating.
 *
 * @param id the node id, e.g. {@code storage-2}
 * @param address the base URL of its internal HTTP API
 * @param zone its failure zone, or null when unknown
 * @param capacityBytes the bytes it offers for data, or null when unknown
 */
public record RegisterNodeRequest(String id, String address, @JsonInclude(JsonInclude.Include.NON_NULL) String zone,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("capacity_bytes") Long capacityBytes) {

    /** A registration without zone or capacity. */
    public RegisterNodeRequest(String id, String address) {
        this(id, address, null, null);
    }
}
