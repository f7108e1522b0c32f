package io.timberdb.model.query;

import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.api.QueryRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps the JSON form of a query ({@code POST /api/v1/query/execute}) onto the query AST, so that
 * both forms run on one engine. The request
 * <pre>{"filter": {"time_range": [a, b], "source": s, "tags": {k: v, ...}, "message_contains": m},
 *  "partitions": [p, ...], "limit": n}</pre>
 * is the query
 * <pre>SELECT * FROM p, ... WHERE time &gt;= a AND time &lt; b AND source = s AND tags.k = v AND ...
 *  AND message CONTAINS m LIMIT n</pre>
 * with absent conditions left out (tags in key order), {@code FROM *} when no partition is named
 * and the JSON API's default limit. {@code timeout_seconds} is not part of a query: the caller
 * keeps it.
 *
 * <p>Stateless; thread-safe.
 */
public final class QueryRequests {

    private QueryRequests() {
    }

    /**
     * The query a JSON request asks.
     *
     * @throws io.timberdb.model.error.TimberException INVALID_FIELD as {@link QueryRequest#validated()} does
     */
    public static Query toQuery(QueryRequest request) {
        QueryRequest r = request.validated();
        return new Query(false, List.of(new SelectItem.Star()), r.partitions(), where(r.filter()), List.of(), null,
                r.limit());
    }

    /** The condition of a filter, or null when it has none. */
    static Predicate where(QueryFilter filter) {
        List<Predicate> conditions = new ArrayList<>();
        Instant from = filter.from();
        Instant to = filter.to();
        if (from != null) {
            conditions.add(new Predicate.TimeCompare(CompareOp.GE, new TimeValue.Absolute(from)));
        }
        if (to != null) {
            conditions.add(new Predicate.TimeCompare(CompareOp.LT, new TimeValue.Absolute(to)));
        }
        if (filter.source() != null) {
            conditions.add(new Predicate.Compare(Field.SOURCE, CompareOp.EQ, filter.source()));
        }
        for (Map.Entry<String, String> tag : new TreeMap<>(filter.tags()).entrySet()) {
            conditions.add(new Predicate.Compare(Field.tag(tag.getKey()), CompareOp.EQ, tag.getValue()));
        }
        if (filter.messageContains() != null) {
            conditions.add(new Predicate.Contains(Field.MESSAGE, filter.messageContains(), false));
        }
        return conditions.stream().reduce(Predicate.And::new).orElse(null);
    }
}
