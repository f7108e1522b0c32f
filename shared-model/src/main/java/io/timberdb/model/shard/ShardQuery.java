package io.timberdb.model.shard;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.timberdb.model.api.QueryFilter;
import java.time.Instant;

/**
 * A query pushed down to one shard: either the JSON filter form ({@code filter}, {@code query}
 * null) or a query of the language ({@code query} set, {@code filter} ignored).
 *
 * <p>For the language the shard parses {@code query} (the canonical text of
 * {@code io.timberdb.model.query.QueryPrinter}), prunes blocks and pages with the filter its WHERE
 * condition implies ({@code ImpliedFilter}), tests the exact condition on every entry left, and
 * answers
 * <ul>
 *   <li>for an entry query: the first {@code limit} matches in the query's order (newest first, or
 *       oldest first for {@code ORDER BY time ASC}) and the count of all matches;</li>
 *   <li>for an aggregating query: the partial aggregate state of every group
 *       ({@link ShardQueryResult#groups()}), which the query service merges;</li>
 *   <li>for {@code EXPLAIN}: only its plan ({@link ShardQueryResult#plan()}), without reading pages.</li>
 * </ul>
 *
 * @param filter the conditions every returned entry satisfies (the JSON form)
 * @param limit the most entries to return
 * @param query the canonical text of a query of the language, or null for the JSON form
 * @param now the instant {@code now()} stands for, read once by the query service so that every
 *        shard resolves it alike; required with {@code query}
 * @param after for the next page of an entry query: only entries strictly after this one in the
 *        query's order count (match, are returned); null for the first page
 * @param budgetMillis how long the shard may scan, from when it starts, in milliseconds (the
 *        query's timeout): past it the scan stops and fails with {@code TIMEOUT} rather than go
 *        on for an answer nobody waits for; null (as from a query service of the previous
 *        version) or 0 for no limit
 */
public record ShardQuery(QueryFilter filter, int limit, String query, Instant now, EntryPosition after,
                         @JsonProperty("budget_ms") Long budgetMillis) {

    /** The JSON filter form. */
    public ShardQuery(QueryFilter filter, int limit) {
        this(filter, limit, null, null, null);
    }

    /** A query without a time budget. */
    public ShardQuery(QueryFilter filter, int limit, String query, Instant now, EntryPosition after) {
        this(filter, limit, query, now, after, null);
    }

    /** The first page of a query of the language. */
    public ShardQuery(QueryFilter filter, int limit, String query, Instant now) {
        this(filter, limit, query, now, null);
    }
}
