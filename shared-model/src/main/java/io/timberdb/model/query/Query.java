package io.timberdb.model.query;

import java.util.List;

/**
 * A parsed query: {@code [EXPLAIN] SELECT ... FROM ... [WHERE ...] [GROUP BY ...] [ORDER BY ...] [LIMIT n]}.
 * Build one with {@link QueryParser#parse}; {@link QueryPrinter#print} writes it back as text.
 * The constructor checks only what one component can get wrong; the rules that span clauses
 * (e.g. ORDER BY an aggregate the query selects) are checked by the parser, where it can say
 * where the text breaks them, so a query built by hand should be printed and parsed to check it.
 *
 * @param explain whether the query asks for its plan instead of its result
 * @param select the SELECT list: one {@link SelectItem.Star}, or fields, bins and aggregates
 * @param from the partition names; empty for {@code FROM *}, every partition
 * @param where the condition, or null when every entry matches
 * @param groupBy the GROUP BY keys, empty when the query does not group
 * @param orderBy the order, or null for the default (see the language reference)
 * @param limit the largest number of entries or rows to return, or null for the default
 */
public record Query(boolean explain, List<SelectItem> select, List<String> from, Predicate where,
                    List<GroupKey> groupBy, OrderBy orderBy, Integer limit) {

    /** The limit when the query names none, as in the JSON API. */
    public static final int DEFAULT_LIMIT = 1000;
    /** The largest LIMIT, as in the JSON API. */
    public static final int MAX_LIMIT = 1_000_000;

    public Query {
        select = List.copyOf(select);
        from = List.copyOf(from);
        groupBy = List.copyOf(groupBy);
        if (select.isEmpty()) {
            throw new IllegalArgumentException("a query selects something");
        }
        if (select.size() > 1 && select.contains(new SelectItem.Star())) {
            throw new IllegalArgumentException("* stands alone in the SELECT list");
        }
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw new IllegalArgumentException("LIMIT is 1 to " + MAX_LIMIT + ", not " + limit);
        }
    }

    /** Whether the query returns rows of groups or aggregates rather than entries. */
    public boolean isAggregating() {
        return !groupBy.isEmpty() || select.stream().anyMatch(Aggregate.class::isInstance);
    }

    /** The limit to apply: {@link #limit()} or {@link #DEFAULT_LIMIT}. */
    public int effectiveLimit() {
        return limit == null ? DEFAULT_LIMIT : limit;
    }

    /** The same query with another condition. */
    public Query withWhere(Predicate newWhere) {
        return new Query(explain, select, from, newWhere, groupBy, orderBy, limit);
    }

    /** Whether this is {@code SELECT *}. */
    public boolean selectsAll() {
        return select.size() == 1 && select.get(0) instanceof SelectItem.Star;
    }
}
