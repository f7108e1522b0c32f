package io.timberdb.model.api;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The fast path for the timestamps nearly every shipper sends: {@code YYYY-MM-DDTHH:MM:SS},
 * an optional fraction of 1-9 digits, then {@code Z} or {@code ±HH:MM}. Parsing these by position
 * costs a fraction of {@code OffsetDateTime.parse}, which runs once per ingested entry. Anything
 * else (or an invalid date) returns null, and the caller falls back to the full parser, which
 * accepts or refuses it: the fast path never accepts what the full parser would refuse.
 *
 * <p>Used by {@link LogEntryInput} and by the syslog listener (RFC 5424 TIMESTAMP).
 *
 * <p>Stateless; thread-safe.
 */
public final class Rfc3339 {

    private static final int[] FRACTION_SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private Rfc3339() {
    }

    /** The instant {@code t} names, or null when it is not in the fast path's form. */
    public static Instant parse(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (t.charAt(at) == '.') {
            int start = ++at;
            while (at < n && at - start < 10 && t.charAt(at) >= '0' && t.charAt(at) <= '9') {
                at++;
            }
            int length = at - start;
            if (length < 1 || length > 9) {
                return null;
            }
            nanos = digits(t, start, length) * FRACTION_SCALE[length];
        }
        int offsetSeconds;
        if (at == n - 1 && t.charAt(at) == 'Z') {
            offsetSeconds = 0;
        } else if (at == n - 6 && (t.charAt(at) == '+' || t.charAt(at) == '-') && t.charAt(at + 3) == ':') {
            int oh = digits(t, at + 1, 2);
            int om = digits(t, at + 4, 2);
            if ((oh | om) < 0 || oh > 18 || om > 59 || (oh == 18 && om > 0)) {
                return null; // ZoneOffset's range is ±18:00
            }
            offsetSeconds = (oh * 3600 + om * 60) * (t.charAt(at) == '-' ? -1 : 1);
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // e.g. February 30th: the full parser says why
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
    }

    /** The value of {@code length} ASCII digits at {@code from}, or -1 if one is not a digit. */
    private static int digits(String t, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            int d = t.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }
}
