package io.timberdb.model.query;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;

/**
 * The fields of a log entry as queries read them: a {@link io.timberdb.model.api.LogEntry}, or a
 * view of one row of a stored page that decodes a field only when it is asked for (so a scan that
 * tests tags never builds a message or an id). {@link EntryFilter} and {@link PartialAggregates}
 * work on this view, so the engine and the {@link ReferenceEvaluator} share one definition of
 * every condition.
 *
 * <p>A view may be a cursor over many rows: do not keep it; copy what is needed.
 */
public interface EntryFields {

    /** The order of query results: newest timestamp first; among equal timestamps, the later id first. */
    Comparator<EntryFields> NEWEST_FIRST =
            Comparator.comparing(EntryFields::timestamp).thenComparing(EntryFields::id).reversed();

    String id();

    Instant timestamp();

    String source();

    /** The tags, never null. */
    Map<String, String> tags();

    String message();

    /**
     * Whether the message contains {@code needle}: as {@link String#contains}, or, with
     * {@code ignoreCase}, after {@link TextTerms#asciiLowerCase} of the message ({@code needle}
     * must then already be ASCII lower-case). A stored row may answer without building the
     * message when its message template settles it; the answer must be the same.
     */
    default boolean messageContains(String needle, boolean ignoreCase) {
        return ignoreCase ? TextTerms.asciiLowerCase(message()).contains(needle) : message().contains(needle);
    }
}
