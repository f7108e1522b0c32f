package io.timberdb.ingest.syslog;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * The part of an RFC 3164 (BSD) message after its PRI, parsed leniently as that RFC asks of a
 * receiver (section 4.3): {@code TIMESTAMP SP HOSTNAME SP TAG[PID]: CONTENT}.
 *
 * <ul>
 *   <li>TIMESTAMP is {@code Mmm dd hh:mm:ss} (the day space- or zero-padded), in the configured
 *       zone. It has no year: the year taken is the latest of the year after, the year and the
 *       year before the one it was received in that does not put it more than 7 days after its
 *       receipt (so a December message received on 1 January is last year's, and a sender's
 *       clock a little ahead across New Year does not throw it a year back). Without a valid TIMESTAMP the whole
 *       rest is the message, with no hostname and the receive time.</li>
 *   <li>HOSTNAME is the next word, unless it looks like a TAG (it ends with {@code :} or holds
 *       {@code [}; many senders leave the hostname out) or is not 1 to 255 printable US-ASCII
 *       characters (it would make a blank or overlong source).</li>
 *   <li>TAG is up to 48 printable characters other than {@code :}, {@code [}, {@code ]} right
 *       before {@code :} or {@code [pid]:}; a space after the colon is dropped. Without one the
 *       whole rest is the message.</li>
 * </ul>
 *
 * <p>Thread-safe: stateless.
 */
final class Rfc3164Parser {

    static final int MAX_TAG = 48;
    private static final int TIMESTAMP_LENGTH = 15;
    /** How far after its receipt an RFC 3164 timestamp may lie (a sender's clock ahead) before it counts as last year's. */
    static final Duration FUTURE_SLACK = Duration.ofDays(7);
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};

    private Rfc3164Parser() {
    }

    static SyslogMessage parse(byte[] bytes, int pos, int end, int facility, int severity, Instant receivedAt,
                               ZoneId zone) {
        Instant timestamp = null;
        String hostname = null;
        if (end - pos > TIMESTAMP_LENGTH && bytes[pos + TIMESTAMP_LENGTH] == ' ') {
            timestamp = timestamp(bytes, pos, receivedAt, zone);
        }
        if (timestamp != null) {
            pos += TIMESTAMP_LENGTH + 1;
            int word = pos;
            boolean printable = true;
            while (word < end && bytes[word] != ' ') {
                printable &= bytes[word] > ' ' && bytes[word] < 127;
                word++;
            }
            if (word > pos && printable && word - pos <= Rfc5424Parser.MAX_HOSTNAME && !looksLikeTag(bytes, pos, word)) {
                hostname = new String(bytes, pos, word - pos, StandardCharsets.US_ASCII);
                pos = Math.min(word + 1, end);
            }
        }
        String rest = SyslogParser.text(bytes, pos, end);
        int tagEnd = 0;
        while (tagEnd < rest.length() && tagEnd <= MAX_TAG && isTagChar(rest.charAt(tagEnd))) {
            tagEnd++;
        }
        String app = null;
        String procid = null;
        int content = 0;
        if (tagEnd > 0 && tagEnd <= MAX_TAG && tagEnd < rest.length()) {
            if (rest.charAt(tagEnd) == ':') {
                app = rest.substring(0, tagEnd);
                content = tagEnd + 1;
            } else if (rest.charAt(tagEnd) == '[') {
                int close = rest.indexOf("]:", tagEnd);
                String pid = close < 0 ? "" : rest.substring(tagEnd + 1, close);
                if (!pid.isEmpty() && pid.length() <= Rfc5424Parser.MAX_PROCID && pid.chars().allMatch(Rfc3164Parser::isTagChar)) {
                    app = rest.substring(0, tagEnd);
                    procid = pid;
                    content = close + 2;
                }
            }
            if (app != null && content < rest.length() && rest.charAt(content) == ' ') {
                content++;
            }
        }
        return new SyslogMessage(facility, severity, timestamp, hostname, app, procid, null, Map.of(),
                rest.substring(content));
    }

    private static boolean isTagChar(int c) {
        return c > ' ' && c < 127 && c != ':' && c != '[' && c != ']';
    }

    private static boolean looksLikeTag(byte[] bytes, int from, int to) {
        if (bytes[to - 1] == ':') {
            return true;
        }
        for (int i = from; i < to; i++) {
            if (bytes[i] == '[') {
                return true;
            }
        }
        return false;
    }

    /**
     * The {@code Mmm dd hh:mm:ss} at {@code pos}, or null if it is none, in the latest of the year
     * after, the year and the year before {@code receivedAt} that does not put it more than
     * {@link #FUTURE_SLACK} after {@code receivedAt}.
     */
    static Instant timestamp(byte[] bytes, int pos, Instant receivedAt, ZoneId zone) {
        String text = new String(bytes, pos, TIMESTAMP_LENGTH, StandardCharsets.ISO_8859_1);
        int month = -1;
        for (int m = 0; m < MONTHS.length; m++) {
            if (text.startsWith(MONTHS[m])) {
                month = m + 1;
            }
        }
        if (month < 0 || text.charAt(3) != ' ' || text.charAt(6) != ' ' || text.charAt(9) != ':'
                || text.charAt(12) != ':') {
            return null;
        }
        int day = number(text.charAt(4) == ' ' ? "0" + text.charAt(5) : text.substring(4, 6));
        int hour = number(text.substring(7, 9));
        int minute = number(text.substring(10, 12));
        int second = number(text.substring(13, 15));
        if (day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int received = receivedAt.atZone(zone).getYear();
        Instant latestAllowed = receivedAt.plus(FUTURE_SLACK);
        for (int year = received + 1; year >= received - 1; year--) {
            try {
                Instant candidate = ZonedDateTime.of(LocalDateTime.of(year, Month.of(month), day, hour, minute, second),
                        zone).toInstant();
                if (!candidate.isAfter(latestAllowed)) {
                    return candidate;
                }
            } catch (DateTimeException e) {
                // no such day that year (29 February), or an hour or day out of range: try the year before
            }
        }
        return null;
    }

    /** The two digits of {@code text}, or -1. */
    private static int number(String text) {
        if (text.charAt(0) < '0' || text.charAt(0) > '9' || text.charAt(1) < '0' || text.charAt(1) > '9') {
            return -1;
        }
        return (text.charAt(0) - '0') * 10 + (text.charAt(1) - '0');
    }
}
