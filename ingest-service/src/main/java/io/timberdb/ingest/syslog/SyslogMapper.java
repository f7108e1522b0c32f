package io.timberdb.ingest.syslog;

import io.timberdb.model.api.LogEntryInput;
import java.time.Instant;
import java.util.LinkedHashMap;
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
 * <p>Thread-safe: stateless.
 */
final class SyslogMapper {

    /** The source of a message with neither a HOSTNAME nor a known sender. */
    static final String UNKNOWN_SOURCE = "syslog";
    static final String[] FACILITIES = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp",
            "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2",
            "local3", "local4", "local5", "local6", "local7"};
    static final String[] SEVERITIES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};
    static final String[] LEVELS = {"fatal", "fatal", "fatal", "error", "warn", "info", "info", "debug"};

    private SyslogMapper() {
    }

    /**
     * @param peer the sender's address, null when unknown
     */
    static LogEntryInput toEntry(SyslogMessage message, String peer, Instant receivedAt) {
        Map<String, String> tags = new LinkedHashMap<>(message.structuredData());
        tags.put("facility", FACILITIES[message.facility()]);
        tags.put("severity", SEVERITIES[message.severity()]);
        tags.put("level", LEVELS[message.severity()]);
        putIfPresent(tags, "app", message.app());
        putIfPresent(tags, "procid", message.procid());
        putIfPresent(tags, "msgid", message.msgid());
        String source = message.hostname() != null ? message.hostname() : peer != null ? peer : UNKNOWN_SOURCE;
        Instant at = message.timestamp() != null ? message.timestamp() : receivedAt;
        return new LogEntryInput(at.toString(), source, tags, message.message());
    }

    private static void putIfPresent(Map<String, String> tags, String key, String value) {
        if (value != null) {
            tags.put(key, value);
        }
    }
}
