package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer to {@code POST /api/v1/query/execute}.
 *
 * @param id the query's id, for logs and support
 * @param executionTime milliseconds spent answering, as a number
 * @param scannedEntries entries examined on the storage nodes
 * @param matchedEntries entries that matched, even when {@code limit} returned fewer
 * @param entries the matches, newest first, at most {@code limit}
 * @param partial true when a shard did not answer or could not read a block: the result may miss
 *        entries
 * @param error null, or why the result is partial
 * @param missingShards the shards ({@code <partition id>/<shard>}) that no in-sync replica
 *        answered; null (and left out of the JSON) when every shard answered
 */
public record QueryResponse(
        String id,
        @JsonProperty("execution_time") long executionTime,
        @JsonProperty("scanned_entries") long scannedEntries,
        @JsonProperty("matched_entries") long matchedEntries,
        List<LogEntry> entries,
        boolean partial,
        String error,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("missing_shards") List<String> missingShards) {

    /** The same figure as {@code execution_time}, named with its unit. */
    @JsonProperty("execution_time_ms")
    public long executionTimeMs() {
        return executionTime;
    }
}
