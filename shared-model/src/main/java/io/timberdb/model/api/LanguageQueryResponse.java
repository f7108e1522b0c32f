package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer to {@code POST /api/v1/query}.
 *
 * <p>An entry query answers {@code entries} (whole entries, in the query's order) and, when it
 * selects fields rather than {@code *}, also {@code columns} and {@code rows} with those fields.
 * An aggregating query answers {@code columns} and {@code rows} in the ORDER BY order.
 * {@code EXPLAIN} answers {@code plan} only.
 *
 * @param id the query's id ({@code X-Query-Id})
 * @param columns the column names (canonical texts of the select items), or null
 * @param rows one list of cells per entry or group, or null
 * @param entries the matching entries, at most LIMIT, or null for an aggregating query
 * @param matchedEntries entries that satisfied WHERE, whatever LIMIT returned
 * @param scannedEntries entries the storage nodes examined after pruning
 * @param executionTimeMs milliseconds spent answering
 * @param partial true when a shard did not answer or could not read a block: the result may miss
 *        entries
 * @param error null, or why the result is partial
 * @param missingShards the shards ({@code <partition id>/<shard>}) that no in-sync replica
 *        answered, by partition id and shard number; null when every shard answered
 * @param nextCursor for an entry query cut by LIMIT, what to send as {@code cursor} for the next
 *        page; else null
 * @param plan the plan of an {@code EXPLAIN} query, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LanguageQueryResponse(
        String id,
        List<String> columns,
        List<List<Object>> rows,
        List<LogEntry> entries,
        @JsonProperty("matched_entries") long matchedEntries,
        @JsonProperty("scanned_entries") long scannedEntries,
        @JsonProperty("execution_time_ms") long executionTimeMs,
        boolean partial,
        String error,
        @JsonProperty("missing_shards") List<String> missingShards,
        @JsonProperty("next_cursor") String nextCursor,
        QueryPlan plan) {
}
