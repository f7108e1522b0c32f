package io.timberdb.ingest.syslog;

import io.timberdb.ingest.api.RepeatedValues;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.LogEntryInput;
import java.time.Instant;
import java.util.Map;

/**
 * Turns a parsed syslog message into a TimberDB entry:
 *
 * <ul>
 *   <li>timestamp: the message's, else the time it was received;</li>
 *   <li>source: HOSTNAME, else the sender's IP address;</li>
 *   <li>message: MSG (RFC 3164: the content after the TAG);</li>
 *   <li>tags: the structured data as {@code sd.<SD-ID>.<PARAM-NAME>}, then {@code facility} (its
 *       name: {@code kern}, {@code user}, ..., {@code local7}), {@code severity} ({@code emerg},
 *       {@code alert}, {@code crit}, {@code err}, {@code warning}, {@code notice}, {@code info},
 *       {@code debug}), {@code level} (the OTLP route's names: emerg, alert and crit are
 *       {@code fatal}, err {@code error}, warning {@code warn}, notice and info {@code info},
 *       debug {@code debug}), and when present {@code app}, {@code procid}, {@code msgid}.</li>
 * </ul>
 *
 * <p>The entries are checked as {@link LogEntryInput#toEntry} checks a client's (a syslog message
 * always passes) and carry the timestamp as it was parsed, not as text to be parsed again, so the
 * write path stores them as they are ({@code EntryRouter.ingestChecked}). Equal tag sets are one
 * map instance, checked and sorted once ({@link RepeatedValues}, and a direct-mapped cache of the
 * checked maps by instance): the messages of one sender repeat a handful of tag sets, and the
 * storage node's encoders also recognise a tag set by its instance.
 *
 * <p>Not thread-safe: one per TCP connection (or UDP listener), used on its event loop.
 */
final class SyslogMapper {

    /** The source of a message with neither a HOSTNAME nor a known sender. */
    static final String UNKNOWN_SOURCE = "syslog";
    static final String[] FACILITIES = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp",
            "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2",
            "local3", "local4", "local5", "local6", "local7"};
    static final String[] SEVERITIES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};
    static final String[] LEVELS = {"fatal", "fatal", "fatal", "error", "warn", "info", "info", "debug"};
    /** The id of a mapped entry: the write path assigns the real one. */
    static final String UNASSIGNED_ID = "-";
    /** Slots of the checked tag sets, as many as {@link RepeatedValues} keeps tag sets. */
    private static final int CHECKED_SLOTS = 2048;

    private final RepeatedValues repeated = new RepeatedValues();
    private final Map<?, ?>[] inputTags = new Map<?, ?>[CHECKED_SLOTS];
    private final Map<?, ?>[] checkedTags = new Map<?, ?>[CHECKED_SLOTS];
    private String[] pairs = new String[16];

    /**
     * The checked entry of {@code message}, with id {@link #UNASSIGNED_ID}.
     *
     * @param peer the sender's address, null when unknown
     * @param receivedAt the entry's time when the message has none
     */
    LogEntry entry(SyslogMessage message, String peer, Instant receivedAt) {
        int count = 0;
        Map<String, String> structuredData = message.structuredData();
        if (pairs.length < 2 * (structuredData.size() + 6)) {
            pairs = new String[2 * (structuredData.size() + 6)];
        }
        for (Map.Entry<String, String> param : structuredData.entrySet()) {
            count = put(count, param.getKey(), param.getValue());
        }
        count = put(count, "facility", FACILITIES[message.facility()]);
        count = put(count, "severity", SEVERITIES[message.severity()]);
        count = put(count, "level", LEVELS[message.severity()]);
        count = put(count, "app", message.app());
        count = put(count, "procid", message.procid());
        count = put(count, "msgid", message.msgid());
        Map<String, String> tags = repeated.tags(pairs, count);
        String source = message.hostname() != null ? message.hostname() : peer != null ? peer : UNKNOWN_SOURCE;
        Instant at = message.timestamp() != null ? message.timestamp() : receivedAt;
        int slot = (System.identityHashCode(tags) ^ (System.identityHashCode(tags) >>> 16)) & (CHECKED_SLOTS - 1);
        @SuppressWarnings("unchecked")
        Map<String, String> checked = inputTags[slot] == tags ? (Map<String, String>) checkedTags[slot] : null;
        // a null timestamp takes the "now" given, which is the entry's time: no text in between
        LogEntry entry = new LogEntryInput(null, source, tags, message.message()).toEntry("", UNASSIGNED_ID, at, checked);
        if (checked == null) {
            inputTags[slot] = tags;
            checkedTags[slot] = entry.tags();
        }
        return entry;
    }

    /** Adds a tag when {@code value} is present (SD-PARAMs come first, so no key repeats); answers the count. */
    private int put(int count, String key, String value) {
        if (value == null) {
            return count;
        }
        pairs[2 * count] = key;
        pairs[2 * count + 1] = value;
        return count + 1;
    }
}
