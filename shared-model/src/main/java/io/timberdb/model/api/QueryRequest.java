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

    /** Checks the request; returns it with defaults filled in. */
    public QueryRequest validated() {
        QueryFilter f = filter == null ? QueryFilter.ALL : filter.validated("filter");
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw TimberException.invalidField("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS)) {
            throw TimberException.invalidField("timeout_seconds", "must be between 1 and " + MAX_TIMEOUT_SECONDS);
        }
        return new QueryRequest(f, partitions == null ? List.of() : partitions,
                limit == null ? DEFAULT_LIMIT : limit,
                timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds);
    }
}
