package io.timberdb.model.api;

import io.timberdb.model.error.TimberException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One log entry as a client sends it: {@code {timestamp?, source, tags?, message}}.
 *
 * <p>{@code timestamp} is an RFC 3339 instant ({@code 2026-11-26T10:30:00Z}, offsets and
 * fractions to the nanosecond allowed) or a number since the epoch (as a JSON number or a numeric
 * string) in seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude as
 * {@link EpochTime} says; when absent the server's time is used. {@code tags} values are strings (numbers are taken as their text).
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
        return toEntry(path, id, now, null);
    }

    /**
     * As {@link #toEntry(String, String, Instant)}, with the tags already checked: entries of a
     * request that share their tag set (nearly all do, in groups) check and sort it once.
     *
     * @param checkedTags the {@link LogEntry#tags()} of an entry made by this method from an
     *        input with equal tags (it is shared, not copied), or null to check and sort them here
     */
    public LogEntry toEntry(String path, String id, Instant now, Map<String, String> checkedTags) {
        if (source == null) {
            throw TimberException.missingField(field(path, "source"));
        }
        if (source.isBlank()) {
            throw TimberException.invalidField(field(path, "source"), "must not be blank");
        }
        if (source.length() > MAX_SOURCE_LENGTH) {
            throw TimberException.invalidField(field(path, "source"),
                    "is longer than " + MAX_SOURCE_LENGTH + " characters");
        }
        if (message == null) {
            throw TimberException.missingField(field(path, "message"));
        }
        Map<String, String> sortedTags = checkedTags != null ? checkedTags : sortedTags(path);
        Instant at = timestamp == null ? now : parseTimestamp(timestamp, path, "timestamp");
        return new LogEntry(id, at, source, sortedTags, message);
    }

    /** The tags checked and sorted by key; unmodifiable, as entries that share them may share the map. */
    private Map<String, String> sortedTags(String path) {
        if (tags == null || tags.isEmpty()) {
            return Map.of();
        }
        SortedMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().isBlank()) {
                throw TimberException.invalidField(field(path, "tags"), "has a blank key");
            }
            if (tag.getValue() == null) {
                throw TimberException.invalidField(field(path, "tags." + tag.getKey()), "must not be null");
            }
            sorted.put(tag.getKey(), tag.getValue());
        }
        return Collections.unmodifiableSortedMap(sorted);
    }

    /** The path of a field of the entry at {@code path}; built only for an error message. */
    private static String field(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /**
     * An entry's time: RFC 3339 (to the nanosecond), or an epoch number whose unit its magnitude
     * tells ({@link EpochTime}); the field is named only when the fast path does not apply.
     */
    private static Instant parseTimestamp(String text, String path, String name) {
        Instant fast = Rfc3339.parse(text);
        if (fast != null) {
            return fast;
        }
        String t = text.trim();
        return EpochTime.isNumber(t) ? EpochTime.parse(t, field(path, name))
                : rfc3339(t, field(path, name), "an epoch number (s, ms, µs or ns)");
    }

    /**
     * A time of a query's range: RFC 3339, or epoch milliseconds (digits only). Entry timestamps
     * take more forms (see {@link #toEntry}).
     */
    static Instant parseTimestamp(String text, String field) {
        String t = text.trim();
        if (isDigits(t)) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(t));
            } catch (NumberFormatException e) {
                throw TimberException.invalidField(field, "is not a valid epoch-millisecond number");
            }
        }
        return rfc3339(t, field, "epoch milliseconds");
    }

    private static Instant rfc3339(String t, String field, String orElse) {
        Instant fast = Rfc3339.parse(t);
        if (fast != null) {
            return fast;
        }
        try {
            return java.time.OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw TimberException.invalidField(field,
                    "must be an RFC 3339 timestamp (e.g. 2026-11-26T10:30:00Z) or " + orElse);
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
