package io.timberdb.model.api;

import io.timberdb.model.error.TimberException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One log entry as a client sends it: {@code {timestamp?, source, tags?, message}}.
 *
 * <p>{@code timestamp} is an RFC 3339 instant ({@code 2026-11-26T10:30:00Z}, offsets and
 * fractions allowed) or a number of milliseconds since the epoch; when absent the server's
 * time is used. {@code tags} values are strings (numbers are taken as their text).
 */
public record LogEntryInput(String timestamp, String source, Map<String, String> tags, String message) {

    /** The longest source name accepted, in characters. */
    public static final int MAX_SOURCE_LENGTH = 256;

    /**
     * Checks the entry and turns it into a stored entry.
     *
     * @param path the JSON path of this entry in the request, for error messages
     *        (e.g. {@code ""} for a single object, {@code "[3]"} for an array element)
     * @param id the entry id assigned by the ingest path
     * @param now the server time used when the entry has no timestamp
     * @throws TimberException {@code MISSING_FIELD} or {@code INVALID_FIELD} naming the field
     */
    public LogEntry toEntry(String path, String id, Instant now) {
        String prefix = path.isEmpty() ? "" : path + ".";
        if (source == null) {
            throw TimberException.missingField(prefix + "source");
        }
        if (source.isBlank()) {
            throw TimberException.invalidField(prefix + "source", "must not be blank");
        }
        if (source.length() > MAX_SOURCE_LENGTH) {
            throw TimberException.invalidField(prefix + "source",
                    "is longer than " + MAX_SOURCE_LENGTH + " characters");
        }
        if (message == null) {
            throw TimberException.missingField(prefix + "message");
        }
        Map<String, String> sortedTags = new TreeMap<>();
        if (tags != null) {
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                if (tag.getKey().isBlank()) {
                    throw TimberException.invalidField(prefix + "tags", "has a blank key");
                }
                if (tag.getValue() == null) {
                    throw TimberException.invalidField(prefix + "tags." + tag.getKey(), "must not be null");
                }
                sortedTags.put(tag.getKey(), tag.getValue());
            }
        }
        Instant at = timestamp == null ? now : parseTimestamp(timestamp, prefix + "timestamp");
        return new LogEntry(id, at, source, sortedTags, message);
    }

    static Instant parseTimestamp(String text, String field) {
        String t = text.trim();
        if (isDigits(t)) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(t));
            } catch (NumberFormatException e) {
                throw TimberException.invalidField(field, "is not a valid epoch-millisecond number");
            }
        }
        Instant fast = Rfc3339.parse(t);
        if (fast != null) {
            return fast;
        }
        try {
            return java.time.OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw TimberException.invalidField(field,
                    "must be an RFC 3339 timestamp (e.g. 2026-11-26T10:30:00Z) or epoch milliseconds");
        }
    }

    private static boolean isDigits(String t) {
        if (t.isEmpty()) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
