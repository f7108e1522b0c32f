package io.timberdb.model.api;

import io.timberdb.model.query.EntryFields;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;

/**
 * A stored log entry as queries return it.
 *
 * @param id the entry id: 128 bits, time-ordered, unique (see {@link io.timberdb.model.id.EntryIds})
 * @param timestamp when the event happened (the client's timestamp, or the server's time of receipt)
 * @param source what emitted it, e.g. {@code web-server-01}
 * @param tags key/value labels, sorted by key
 * @param message the log line
 */
public record LogEntry(String id, Instant timestamp, String source, Map<String, String> tags, String message)
        implements EntryFields {

    /** The order of query results: newest timestamp first; among equal timestamps, the later id first. */
    public static final Comparator<LogEntry> NEWEST_FIRST = EntryFields.NEWEST_FIRST::compare;

    /** A copy of the fields of {@code row} (a view that may decode lazily, see {@link EntryFields}). */
    public static LogEntry of(EntryFields row) {
        return row instanceof LogEntry entry ? entry
                : new LogEntry(row.id(), row.timestamp(), row.source(), row.tags(), row.message());
    }

    public LogEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
        tags = tags == null ? Map.of() : tags;
    }
}
