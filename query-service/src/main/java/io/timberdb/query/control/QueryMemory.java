package io.timberdb.query.control;

import io.timberdb.model.api.LanguageQueryResponse;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.query.PartialGroup;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One query's memory budget ({@code timberdb.query.max-memory-per-query}): what the entries (and
 * the partial groups of an aggregating query) it gathers from its shards take on the heap,
 * estimated, added up as answers arrive. Past the
 * budget the query fails with {@code QUERY_MEMORY_EXCEEDED} rather than exhausting the heap
 * (a too-large answer must be a clear error, never a dead query service).
 *
 * <p>Thread-safe: shards answer concurrently.
 */
public final class QueryMemory {

    /** What an entry costs besides its strings: the record, its Instant, the map, the list slot. */
    private static final long ENTRY_OVERHEAD = 160;
    /** What a String costs besides its characters (object header, array header, fields). */
    private static final long STRING_OVERHEAD = 40;
    /** What a tag costs besides its strings (a map node). */
    private static final long TAG_OVERHEAD = 48;
    /** What a partial group costs besides its key strings and states: the record, lists, map entry. */
    private static final long GROUP_OVERHEAD = 120;
    /** What one aggregate state costs besides its values: the record and its numbers. */
    private static final long STATE_OVERHEAD = 96;
    /** What one value of a state costs: a BigDecimal, or a map node with its Long. */
    private static final long VALUE_OVERHEAD = 64;

    private final long budget;
    private final AtomicLong reserved = new AtomicLong();

    public QueryMemory(long budgetBytes) {
        this.budget = budgetBytes;
    }

    /**
     * Counts {@code entries} against the budget.
     *
     * @throws TimberException {@code QUERY_MEMORY_EXCEEDED} when the query's entries now exceed it
     */
    public void reserve(List<LogEntry> entries) {
        long bytes = 0;
        for (LogEntry e : entries) {
            bytes += estimate(e);
        }
        long total = reserved.addAndGet(bytes);
        if (total > budget) {
            throw exceeded(budget);
        }
    }

    /**
     * Counts one shard's partial groups against the budget: their keys and states, whose
     * per-value counts (top) and value lists (percentile) grow with the data, and count_distinct's
     * sketches (at most 16 KiB each).
     *
     * @throws TimberException {@code QUERY_MEMORY_EXCEEDED} when the query's answers now exceed it
     */
    public void reserveGroups(List<PartialGroup> groups) {
        long bytes = 0;
        for (PartialGroup g : groups) {
            bytes += GROUP_OVERHEAD;
            for (String k : g.key()) {
                bytes += string(k);
            }
            for (PartialGroup.State s : g.states()) {
                if (s != null) {
                    bytes += STATE_OVERHEAD + VALUE_OVERHEAD * (s.values().size() + (long) s.counts().size());
                    for (String v : s.counts().keySet()) {
                        bytes += string(v);
                    }
                    bytes += s.distinct() == null ? 0 : s.distinct().heapBytes();
                }
            }
        }
        if (reserved.addAndGet(bytes) > budget) {
            throw exceeded(budget);
        }
    }

    /** The error for a query past {@code budgetBytes}, wherever it is found (here, or a shard answer too large to read). */
    public static TimberException exceeded(long budgetBytes) {
        return new TimberException(ErrorCode.QUERY_MEMORY_EXCEEDED, "the query's entries would take more than "
                + budgetBytes / (1024 * 1024) + " MiB (timberdb.query.max-memory-per-query); "
                + "lower its limit or narrow its filter");
    }

    /** The heap a whole answer takes, roughly: its entries, its rows' cells, its strings (a cached answer's weight). */
    public static long estimate(LanguageQueryResponse answer) {
        long bytes = ENTRY_OVERHEAD + string(answer.id()) + string(answer.error()) + string(answer.nextCursor());
        if (answer.entries() != null) {
            for (LogEntry e : answer.entries()) {
                bytes += estimate(e);
            }
        }
        if (answer.columns() != null) {
            for (String column : answer.columns()) {
                bytes += string(column);
            }
        }
        if (answer.rows() != null) {
            for (List<Object> row : answer.rows()) {
                bytes += GROUP_OVERHEAD;
                for (Object cell : row) {
                    bytes += VALUE_OVERHEAD + (cell instanceof String text ? string(text) : 0);
                }
            }
        }
        return bytes;
    }

    /** The heap an entry takes, roughly: Latin-1 strings, one byte a character (UTF-16 ones take two, rarely). */
    static long estimate(LogEntry e) {
        long bytes = ENTRY_OVERHEAD + string(e.id()) + string(e.source()) + string(e.message());
        for (Map.Entry<String, String> tag : e.tags().entrySet()) {
            bytes += TAG_OVERHEAD + string(tag.getKey()) + string(tag.getValue());
        }
        return bytes;
    }

    private static long string(String s) {
        return s == null ? 0 : STRING_OVERHEAD + s.length();
    }
}
