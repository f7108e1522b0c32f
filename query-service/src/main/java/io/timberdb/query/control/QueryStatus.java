package io.timberdb.query.control;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * What {@code GET /api/v1/query/{id}/status} answers: a query's state and its figures so far.
 *
 * @param id the query's id
 * @param state running, succeeded, failed or cancelled
 * @param query what was asked, as the client sent it (the query text, or the JSON form's filter)
 * @param startedAt when the query was admitted
 * @param elapsedMs milliseconds from admission to now, or to the end once finished
 * @param shardsTotal shards the query was sent to (0 while it is being planned)
 * @param shardsDone shards that answered or failed
 * @param scannedEntries entries examined by the shards that answered
 * @param matchedEntries matches counted by the shards that answered
 * @param error why it failed, or null
 */
public record QueryStatus(
        String id,
        String state,
        String query,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("elapsed_ms") long elapsedMs,
        @JsonProperty("shards_total") int shardsTotal,
        @JsonProperty("shards_done") int shardsDone,
        @JsonProperty("scanned_entries") long scannedEntries,
        @JsonProperty("matched_entries") long matchedEntries,
        String error) {
}
