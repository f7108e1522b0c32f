package io.timberdb.coordinator.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * Where a coordinator voter is reached, as the replicated voter directory records it: its Raft
 * address (the peer id jraft's configuration names) and the base URL of its HTTP API (where
 * followers forward writes). The directory says how to reach a voter; whether it is one is
 * jraft's configuration's business.
 *
 * @param id the voter's node id, e.g. {@code coordinator-4}
 * @param raftAddress {@code host:port} of its Raft RPC server, as peers reach it
 * @param httpUrl the base URL of its HTTP API
 *
 * <p>An immutable value.
 */
@JsonPropertyOrder({"id", "raft_address", "http_url"})
public record VoterAddress(String id, @JsonProperty("raft_address") String raftAddress,
                           @JsonProperty("http_url") String httpUrl) {

    public VoterAddress {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(raftAddress, "raft_address");
        Objects.requireNonNull(httpUrl, "http_url");
    }
}
