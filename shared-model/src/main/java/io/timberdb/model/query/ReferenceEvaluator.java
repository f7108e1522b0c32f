package io.timberdb.model.query;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Computes the answer to a query over entries held in memory: the oracle the distributed
 * engine is tested against. It reads every entry, uses no index and does everything the
 * obvious way; it is not meant to be fast.
 *
 * <h2>What it answers</h2>
 * <ul>
 *   <li>{@code now()} is read once from the clock, when evaluation starts.</li>
 *   <li>A query that does not aggregate answers the matching entries newest first (timestamp
 *       descending, then id descending: {@link LogEntry#NEWEST_FIRST}), or exactly the reverse for
 *       {@code ORDER BY time ASC}, cut to LIMIT (default {@value Query#DEFAULT_LIMIT}).</li>
 *   <li>A query that aggregates answers one row per group ({@code GROUP BY} keys: time bins
 *       aligned to the epoch, source, tag values, an absent tag being a group of its own, null);
 *       without GROUP BY, exactly one row, even over no entries. Rows are ordered by their keys
 *       in GROUP BY order, ascending, nulls last; {@code ORDER BY} puts its key first (an
 *       aggregate's nulls last in either direction) and keeps that order for ties. LIMIT as above.</li>
 *   <li>Aggregates are exact, see {@link Aggregation}, but for {@code count_distinct}: the
 *       HyperLogLog estimate over all the group's values, which the engine's merged sketches
 *       equal.</li>
 *   <li>{@code EXPLAIN} is ignored: the answer is that of the query it explains.</li>
 * </ul>
 * The budget bounds the time spent, checked between entries; going over it fails with
 * {@link ErrorCode#TIMEOUT}. Regular expressions run in linear time (RE2J), so one entry cannot
 * take unboundedly long.
 *
 * <p>Immutable; thread-safe.
 */
public final class ReferenceEvaluator {

    private final InstantSource clock;
    private final Duration budget;

    /**
     * @param clock gives {@code now()} and measures the budget
     * @param budget how long one evaluation may take
     */
    public ReferenceEvaluator(InstantSource clock, Duration budget) {
        this.clock = clock;
        this.budget = budget;
    }

    /**
     * The answer over named partitions: those of {@code FROM}, or all for {@code FROM *}.
     *
     * @throws TimberException {@link ErrorCode#PARTITION_NOT_FOUND} for a name not in {@code partitions}
     */
    public QueryResult evaluate(Query query, Map<String, List<LogEntry>> partitions) {
        Collection<String> names = query.from().isEmpty() ? partitions.keySet() : new LinkedHashSet<>(query.from());
        List<LogEntry> entries = new ArrayList<>();
        for (String name : names) {
            List<LogEntry> partition = partitions.get(name);
            if (partition == null) {
                throw TimberException.partitionNotFound(name);
            }
            entries.addAll(partition);
        }
        return evaluate(query, entries);
    }

    /** The answer over {@code entries}, taken to be all the entries of the query's partitions. */
    public QueryResult evaluate(Query query, List<LogEntry> entries) {
        Instant now = clock.instant();
        Instant deadline = now.plus(budget);
        EntryFilter filter = EntryFilter.of(query.where(), now);
        List<LogEntry> matched = new ArrayList<>();
        for (LogEntry entry : entries) {
            if (clock.instant().isAfter(deadline)) {
                throw new TimberException(ErrorCode.TIMEOUT, "the query took longer than its budget of " + budget);
            }
            if (filter.test(entry)) {
                matched.add(entry);
            }
        }
        return query.isAggregating() ? grouped(query, matched) : listed(query, matched);
    }

    private static QueryResult listed(Query q, List<LogEntry> matched) {
        boolean oldestFirst = q.orderBy() != null && !q.orderBy().descending();
        List<LogEntry> page = matched.stream()
                .sorted(oldestFirst ? LogEntry.NEWEST_FIRST.reversed() : LogEntry.NEWEST_FIRST)
                .limit(q.effectiveLimit())
                .toList();
        return new QueryResult(matched.size(), EntryRows.columns(q), EntryRows.rows(q, page), page);
    }

    private static QueryResult grouped(Query q, List<LogEntry> matched) {
        Map<List<Object>, List<LogEntry>> groups = new LinkedHashMap<>();
        if (q.groupBy().isEmpty()) {
            groups.put(List.of(), matched);
        }
        for (LogEntry e : q.groupBy().isEmpty() ? List.<LogEntry>of() : matched) {
            List<Object> key = new ArrayList<>();
            for (GroupKey k : q.groupBy()) {
                key.add(k instanceof Bin bin ? binStart(e.timestamp(), bin.width()) : EntryFilter.text((Field) k, e));
            }
            groups.computeIfAbsent(key, x -> new ArrayList<>()).add(e);
        }
        List<RowOrder.Group> rows = new ArrayList<>();
        groups.forEach((key, members) -> {
            List<Object> cells = new ArrayList<>();
            for (SelectItem item : q.select()) {
                cells.add(item instanceof Aggregate a ? Aggregation.compute(a, members)
                        : key.get(q.groupBy().indexOf((GroupKey) item)));
            }
            rows.add(new RowOrder.Group(key, cells));
        });
        rows.sort(RowOrder.of(q));
        List<List<Object>> page = rows.stream().limit(q.effectiveLimit()).map(RowOrder.Group::cells).toList();
        return new QueryResult(matched.size(), q.select().stream().map(QueryPrinter::print).toList(), page, List.of());
    }

    /** The start of the bin of {@code width} that holds {@code t}, bins being aligned to the epoch. */
    static Instant binStart(Instant t, Duration width) {
        long w = width.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), w) * w);
    }
}
