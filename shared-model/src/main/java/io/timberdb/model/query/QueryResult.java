package io.timberdb.model.query;

import io.timberdb.model.api.LogEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The answer to a query, as the {@link ReferenceEvaluator} computes it.
 *
 * <p>Cell values: {@code time} and bins are {@link java.time.Instant}s; {@code id}, {@code source},
 * {@code message} and tags are strings, null for an absent tag; {@code *} rows hold time, id,
 * source, the tags as a map, and message; {@code count} and {@code count_distinct} are
 * {@code Long}s; min, max, sum, avg and percentile are {@link java.math.BigDecimal}s, null when no
 * value was numeric; top is a list of {@link TopValue}.
 *
 * @param matched how many entries satisfied the WHERE condition, whatever LIMIT returned
 * @param columns the column names: the canonical text of each select item ({@code *} gives
 *        {@code time, id, source, tags, message})
 * @param rows one list of cells per entry or group, in the answer's order, at most LIMIT
 * @param entries for a query that does not aggregate, the entries behind {@code rows}; else empty
 */
public record QueryResult(long matched, List<String> columns, List<List<Object>> rows, List<LogEntry> entries) {

    public QueryResult {
        columns = List.copyOf(columns);
        List<List<Object>> copies = new ArrayList<>();
        for (List<Object> row : rows) {
            // cells may be null (an absent tag, an aggregate over no values), which List.copyOf refuses
            copies.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copies);
        entries = List.copyOf(entries);
    }

    /** One value of {@code top(x, k)}: the value and how many entries had it. */
    public record TopValue(String value, long count) {
    }
}
