package io.timberdb.ingest.loki;

import io.timberdb.model.error.TimberException;
import java.time.Instant;

/**
 * The timestamps of Loki entries, with nanosecond precision: a decimal count of nanoseconds since
 * the epoch (JSON) or a {@code google.protobuf.Timestamp} (protobuf). Both are limited to the
 * years 0001-9999 (what RFC 3339 can write); JSON's to 1970 (no sign) - 2262 (a signed 64-bit count).
 *
 * <p>Stateless; thread-safe.
 */
final class EntryTime {

    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the bounds of {@code google.protobuf.Timestamp}. */
    static final long MIN_SECONDS = -62_135_596_800L;
    static final long MAX_SECONDS = 253_402_300_799L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private EntryTime() {
    }

    /** Nanoseconds since the epoch as decimal digits, e.g. {@code "1764153000123456789"}. */
    static Instant fromNanos(String digits, String path) {
        if (digits.isEmpty() || digits.length() > 19) {
            throw invalid(path, digits.isEmpty() ? "is empty" : "is out of range");
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(path, "is not a decimal number");
            }
        }
        long nanos;
        try {
            nanos = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw invalid(path, "is out of range");
        }
        return Instant.ofEpochSecond(nanos / NANOS_PER_SECOND, nanos % NANOS_PER_SECOND);
    }

    /** The two fields of a {@code google.protobuf.Timestamp}. */
    static Instant fromSeconds(long seconds, int nanos, String path) {
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw TimberException.invalidField(path + ".seconds", "is out of range (years 0001-9999)");
        }
        if (nanos < 0 || nanos >= NANOS_PER_SECOND) {
            throw TimberException.invalidField(path + ".nanos", "must be 0-999999999");
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static TimberException invalid(String path, String why) {
        return TimberException.invalidField(path, why + ": must be nanoseconds since the epoch as a string of digits");
    }
}
