package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /internal/v1/voters}: a coordinator voter to add to the metadata group
 * at runtime. Its process must already run, started with a voter list that holds it.
 *
 * @param id the voter's node id, e.g. {@code coordinator-4}
 * @param raftAddress {@code host:port} where peers reach its Raft RPC server
 * @param httpUrl the base URL of its HTTP API, where followers forward writes
 */
public record AddVoterRequest(String id, @JsonProperty("raft_address") String raftAddress,
                              @JsonProperty("http_url") String httpUrl) {
}
