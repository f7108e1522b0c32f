package io.timberdb.model.query;

import io.timberdb.model.api.LogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns and rows of an entry query (one that does not aggregate): {@code SELECT *} gives
 * {@code time, id, source, tags, message}, a field list gives those fields, an absent tag being
 * null. Shared by the {@link ReferenceEvaluator} and the engine.
 *
 * <p>Stateless; thread-safe.
 */
public final class EntryRows {

    private EntryRows() {
    }

    /** The column names of {@code q}'s answer. */
    public static List<String> columns(Query q) {
        return q.selectsAll() ? List.of("time", "id", "source", "tags", "message")
                : q.select().stream().map(QueryPrinter::print).toList();
    }

    /** One row of cells per entry, in the entries' order. */
    public static List<List<Object>> rows(Query q, List<LogEntry> entries) {
        List<List<Object>> rows = new ArrayList<>(entries.size());
        for (LogEntry e : entries) {
            List<Object> row = new ArrayList<>();
            if (q.selectsAll()) {
                row.addAll(List.of(e.timestamp(), e.id(), e.source(), e.tags(), e.message()));
            } else {
                q.select().forEach(item -> row.add(item.equals(Field.TIME) ? e.timestamp() : EntryFilter.text((Field) item, e)));
            }
            rows.add(row);
        }
        return rows;
    }
}
