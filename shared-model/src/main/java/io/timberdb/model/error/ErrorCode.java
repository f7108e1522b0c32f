package io.timberdb.model.error;

/**
 * The stable error codes of the public and internal APIs. Each code keeps its name and HTTP
 * status forever: clients match on {@link #code()}, so renaming one is a breaking change.
 */
public enum ErrorCode {
    /** The body is not well-formed JSON / NDJSON. */
    MALFORMED_JSON(400, "Malformed JSON"),
    /**
     * A protobuf body is not a well-formed message of the expected type: truncated, a field of the
     * wrong wire type, invalid UTF-8 in a string. The problem names the field at fault.
     */
    MALFORMED_PROTOBUF(400, "Malformed protobuf"),
    /** A compressed body (snappy, gzip) cannot be decompressed. */
    MALFORMED_COMPRESSION(400, "Malformed compressed body"),
    /** A required field is missing. */
    MISSING_FIELD(400, "Missing required field"),
    /** A field has a value the API does not accept. */
    INVALID_FIELD(400, "Invalid field value"),
    /** A query text is not well-formed: the problem names its line, column and what was expected there. */
    QUERY_SYNTAX(400, "Query syntax error"),
    /** A well-formed query that cannot run, e.g. ORDER BY an aggregate it does not select. */
    QUERY_INVALID(400, "Invalid query"),
    /** The Content-Type of the body is not one the route reads. */
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    /** The Content-Encoding of the body is not one the route decodes (e.g. {@code br}). */
    UNSUPPORTED_CONTENT_ENCODING(415, "Unsupported content encoding"),
    /** No partition has this id or name. */
    PARTITION_NOT_FOUND(404, "Partition not found"),
    /** A partition with this name already exists. */
    PARTITION_EXISTS(409, "Partition already exists"),
    /** No storage node has this id. */
    NODE_NOT_FOUND(404, "Storage node not found"),
    /** No coordinator voter has this id. */
    VOTER_NOT_FOUND(404, "Voter not found"),
    /** The voter change contradicts the group: the id or Raft address is another voter's, or it would remove the last voter. */
    VOTER_CONFLICT(409, "Voter change conflicts with the group"),
    /**
     * The route needs a bearer token and the request carries none (answered with
     * {@code WWW-Authenticate: Bearer}, RFC 6750).
     */
    AUTHENTICATION_REQUIRED(401, "Authentication required"),
    /**
     * The bearer token is malformed, wrongly signed, expired, not valid yet, or meant for another
     * issuer or audience; the detail says which, never quoting the token.
     */
    INVALID_TOKEN(401, "Invalid token"),
    /** The token is valid but carries none of the scopes the route needs; {@code scope} lists them. */
    INSUFFICIENT_SCOPE(403, "Insufficient scope"),
    /**
     * An internal route was called with a cluster credential that is not this cluster's
     * ({@code X-TimberDB-Cluster-Token}); a request without one is {@link #AUTHENTICATION_REQUIRED}.
     */
    INVALID_CLUSTER_CREDENTIAL(403, "Invalid cluster credential"),
    /**
     * An ISR change (TDB-05's AlterIsr) was refused because the shard's leader, epoch or ISR is no
     * longer the one the request expected; the problem's {@code placement} property holds the
     * shard's current placement, which the storage leader adopts before it proposes again.
     */
    ISR_CONFLICT(409, "ISR change conflicts with the shard's placement"),
    /** No route answers this path. */
    NOT_FOUND(404, "Not found"),
    /** The route exists but not for this HTTP method. */
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    /** The body is larger than the configured maximum. */
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    /** The request's body did not arrive within the server's request timeout; nothing of it was stored. */
    REQUEST_TIMEOUT(408, "Request timeout"),
    /** No query has this id: it never ran here, or finished too long ago to be remembered. */
    QUERY_NOT_FOUND(404, "Query not found"),
    /** A running query already has the id the request asked for. */
    QUERY_ID_IN_USE(409, "Query id in use"),
    /** The query was cancelled ({@code POST /api/v1/query/{id}/cancel}) before it finished. */
    QUERY_CANCELLED(409, "Query cancelled"),
    /** The entries a query gathered would take more memory than its budget; narrow it or lower its limit. */
    QUERY_MEMORY_EXCEEDED(422, "Query exceeds its memory budget"),
    /** As many queries as the server allows are running; retry shortly. */
    TOO_MANY_QUERIES(429, "Too many queries"),
    /**
     * The write path is busy (a shard's queue is full, or the route's in-flight memory is taken);
     * retry after {@code Retry-After}. Answered by the Loki push route where the native API answers
     * {@link #UNAVAILABLE}, because Loki clients retry on 429.
     */
    TOO_MANY_REQUESTS(429, "Too many requests"),
    /**
     * The tenant (or client address) is over its rate: ingest requests or payload bytes beyond its
     * token buckets (nothing of the request was stored), or query requests beyond its query bucket
     * (nothing of it was run). Retry after {@code Retry-After}, whose value the
     * {@code RateLimit-*} headers explain.
     */
    RATE_LIMITED(429, "Rate limit exceeded"),
    /** No storage node is registered yet, so nothing can be placed or stored. */
    NO_STORAGE_NODES(503, "No storage nodes available"),
    /**
     * Fewer storage nodes are active than the request's replication factor, so the replicas of a
     * shard cannot be placed on distinct nodes; the problem names {@code replication_factor}.
     */
    NOT_ENOUGH_STORAGE_NODES(503, "Not enough storage nodes"),
    /**
     * The storage node is not the leader of the shard (any more, or not yet): the problem's
     * {@code leader} property names the leader it knows of, if any, and {@code epoch} its epoch.
     * Refresh the cluster view and send the batch to the leader (TDB-05).
     */
    NOT_LEADER(409, "Not the shard's leader"),
    /**
     * A replication request carries another leader epoch than the replica's: the side with the
     * older epoch refreshes its cluster view (TDB-05).
     */
    STALE_EPOCH(409, "Stale leader epoch"),
    /**
     * Fewer replicas of the shard are in sync than its partition's {@code min_insync_replicas}:
     * the write is refused, nothing is stored; retry once a replica has caught up (TDB-05).
     */
    NOT_ENOUGH_REPLICAS(503, "Not enough in-sync replicas"),
    /** A node this request needs (coordinator leader, storage node) cannot be reached. */
    UNAVAILABLE(503, "Service unavailable"),
    /** The request did not finish within its timeout. */
    TIMEOUT(504, "Timed out"),
    /** The disk is full: nothing was written. */
    INSUFFICIENT_STORAGE(507, "Insufficient storage"),
    /** An unexpected failure; the detail says what, the server log says more. */
    INTERNAL(500, "Internal error");

    private final int status;
    private final String title;

    ErrorCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    /** The HTTP status this code is answered with. */
    public int status() {
        return status;
    }

    /** A short, human-readable summary that does not change between occurrences. */
    public String title() {
        return title;
    }

    /** The code as it appears in problem details: the enum name, e.g. {@code PARTITION_NOT_FOUND}. */
    public String code() {
        return name();
    }

    /** The code for a name, or {@link #INTERNAL} when the name is unknown (a newer peer's code). */
    public static ErrorCode fromCode(String code) {
        for (ErrorCode c : values()) {
            if (c.name().equals(code)) {
                return c;
            }
        }
        return INTERNAL;
    }
}
