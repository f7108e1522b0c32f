package io.timberdb.query.plan;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.query.Query;
import io.timberdb.model.query.QueryPrinter;
import io.timberdb.model.shard.EntryPosition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The {@code next_cursor} of an entry query: where its next page starts. Opaque to clients
 * (URL-safe base64); inside, one line of text:
 *
 * <pre>1 | query hash | now: epoch second | nano | last timestamp: epoch second | nano | last id</pre>
 *
 * <ul>
 *   <li>The version ({@code 1}) comes first so that the format can change.</li>
 *   <li>The hash is that of the query's canonical text without LIMIT: a cursor continues only
 *       the query it came from (the page size may change).</li>
 *   <li>{@code now()} of the first page is kept, so {@code time > now() - 1h} means the same
 *       window on every page.</li>
 *   <li>The next page holds the entries strictly after the last one in the query's order, so
 *       entries that arrive meanwhile with newer timestamps do not shift a newest-first listing,
 *       and nothing is returned twice.</li>
 * </ul>
 *
 * @param now the instant {@code now()} stands for on every page
 * @param after the last entry of the previous page
 */
record PageCursor(Instant now, EntryPosition after) {

    private static final String VERSION = "1";

    /** The cursor after {@code last}, the last entry of a page of {@code query}. */
    static String encode(Query query, Instant now, LogEntry last) {
        String text = String.join("|", VERSION, hash(query), Long.toString(now.getEpochSecond()),
                Integer.toString(now.getNano()), Long.toString(last.timestamp().getEpochSecond()),
                Integer.toString(last.timestamp().getNano()), last.id());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor of {@code query}.
     *
     * @throws TimberException {@code INVALID_FIELD} on {@code cursor} when it is not one, or one of another query
     */
    static PageCursor decode(String cursor, Query query) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 7);
        } catch (IllegalArgumentException e) {
            throw notACursor();
        }
        if (parts.length != 7 || !VERSION.equals(parts[0])) {
            throw notACursor();
        }
        if (!hash(query).equals(parts[1])) {
            throw TimberException.invalidField("cursor", "belongs to another query: send the query of the page it came with");
        }
        try {
            Instant now = Instant.ofEpochSecond(Long.parseLong(parts[2]), Integer.parseInt(parts[3]));
            Instant at = Instant.ofEpochSecond(Long.parseLong(parts[4]), Integer.parseInt(parts[5]));
            return new PageCursor(now, new EntryPosition(at, parts[6]));
        } catch (RuntimeException e) {
            throw notACursor();
        }
    }

    private static String hash(Query query) {
        String text = QueryPrinter.print(new Query(false, query.select(), query.from(), query.where(), query.groupBy(),
                query.orderBy(), null));
        return Integer.toHexString(text.hashCode());
    }

    private static TimberException notACursor() {
        return TimberException.invalidField("cursor", "is not a cursor this server wrote");
    }
}
