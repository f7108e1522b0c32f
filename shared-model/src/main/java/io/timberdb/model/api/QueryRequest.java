package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.timberdb.model.error.TimberException;
import java.util.List;

/**
 * The body of {@code POST /api/v1/query/execute}:
 * {@code {filter: {time_range?, source?, tags?, message_contains?}, partitions?, limit?, timeout_seconds?}}.
 *
 * @param partitions ids or names to search; all partitions when absent
 */
public record QueryRequest(
        QueryFilter filter,
        List<String> partitions,
        Integer limit,
        @JsonProperty("timeout_seconds") Integer timeoutSeconds) {

    public static final int DEFAULT_LIMIT = 1000;
    public static final int MAX_LIMIT = 1_000_000;
    public static final int DEFAULT_TIMEOUT_SECONDS = 120;
    public static final int MAX_TIMEOUT_SECONDS = 300;

    /** Checks the request against the spec's limits; returns it with the spec's defaults filled in. */
    public QueryRequest validated() {
        return validated(DEFAULT_LIMIT, MAX_LIMIT, DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS);
    }

    /**
     * Checks the request against a server's limits ({@code max_results}, {@code max_timeout});
     * returns it with that server's defaults filled in.
     */
    public QueryRequest validated(int defaultLimit, int maxLimit, int defaultTimeoutSeconds, int maxTimeoutSeconds) {
        QueryFilter f = filter == null ? QueryFilter.ALL : filter.validated("filter");
        if (limit != null && (limit < 1 || limit > maxLimit)) {
            throw TimberException.invalidField("limit", "must be between 1 and " + maxLimit);
        }
        if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > maxTimeoutSeconds)) {
            throw TimberException.invalidField("timeout_seconds", "must be between 1 and " + maxTimeoutSeconds);
        }
        return new QueryRequest(f, partitions == null ? List.of() : partitions,
                limit == null ? defaultLimit : limit,
                timeoutSeconds == null ? defaultTimeoutSeconds : timeoutSeconds);
    }
}
