package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.timberdb.model.error.TimberException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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

    /** Whether an entry satisfies every condition of this filter. */
    public boolean matches(LogEntry entry) {
        Instant from = from();
        Instant to = to();
        if (from != null && entry.timestamp().isBefore(from)) {
            return false;
        }
        if (to != null && !entry.timestamp().isBefore(to)) {
            return false;
        }
        if (source != null && !source.equals(entry.source())) {
            return false;
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!tag.getValue().equals(entry.tags().get(tag.getKey()))) {
                return false;
            }
        }
        return messageContains == null || entry.message().contains(messageContains);
    }
}
