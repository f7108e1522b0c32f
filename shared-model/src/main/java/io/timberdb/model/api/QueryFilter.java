package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.timberdb.model.error.TimberException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The spec's JSON filter. Every present condition must hold (AND).
 *
 * @param timeRange {@code [start, end]}: RFC 3339 or epoch milliseconds, start inclusive, end
 *        exclusive; either may be null for an open end
 * @param source exact source name
 * @param tags exact tag values; an empty map matches everything
 * @param messageContains case-sensitive substring of the message
 */
public record QueryFilter(
        @JsonProperty("time_range") List<String> timeRange,
        String source,
        Map<String, String> tags,
        @JsonProperty("message_contains") String messageContains) {

    /** The filter that matches every entry. */
    public static final QueryFilter ALL = new QueryFilter(null, null, Map.of(), null);

    public QueryFilter {
        tags = tags == null ? Map.of() : tags;
    }

    QueryFilter validated(String path) {
        if (timeRange != null) {
            if (timeRange.size() != 2) {
                throw TimberException.invalidField(path + ".time_range", "must be [start, end]");
            }
            Instant from = from(path);
            Instant to = to(path);
            if (from != null && to != null && to.isBefore(from)) {
                throw TimberException.invalidField(path + ".time_range", "ends before it starts");
            }
        }
        return this;
    }

    /** The inclusive start of the time range, or null. */
    public Instant from() {
        return from("filter");
    }

    /** The exclusive end of the time range, or null. */
    public Instant to() {
        return to("filter");
    }

    private Instant from(String path) {
        return timeRange == null || timeRange.get(0) == null ? null
                : LogEntryInput.parseTimestamp(timeRange.get(0), path + ".time_range[0]");
    }

    private Instant to(String path) {
        return timeRange == null || timeRange.get(1) == null ? null
                : LogEntryInput.parseTimestamp(timeRange.get(1), path + ".time_range[1]");
    }

    /**
     * The filter as a predicate, with the time range parsed once: use it to test many entries.
     * The conditions are checked cheapest first.
     */
    public Predicate<LogEntry> toPredicate() {
        Instant from = from();
        Instant to = to();
        return entry -> (from == null || !entry.timestamp().isBefore(from))
                && (to == null || entry.timestamp().isBefore(to))
                && (source == null || source.equals(entry.source()))
                && tagsMatch(entry)
                && (messageContains == null || entry.message().contains(messageContains));
    }

    /** Whether one entry satisfies every condition (parses the time range each call). */
    public boolean matches(LogEntry entry) {
        return toPredicate().test(entry);
    }

    private boolean tagsMatch(LogEntry entry) {
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!tag.getValue().equals(entry.tags().get(tag.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
