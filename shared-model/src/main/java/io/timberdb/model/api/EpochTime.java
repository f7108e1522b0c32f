package io.timberdb.model.api;

import io.timberdb.model.error.TimberException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Entry timestamps given as a number since the Unix epoch (a JSON number or a numeric string), in a
 * unit told by the number's magnitude, as clients send seconds, milliseconds, microseconds or
 * nanoseconds without saying which:
 *
 * <pre>
 * value                unit          covers
 * [0, 1e11)            seconds       1970-01-01 .. 5138-11-16
 * [1e11, 1e14)         milliseconds  1973-03-03 .. 5138-11-16
 * [1e14, 1e17)         microseconds  1973-03-03 .. 5138-11-16
 * [1e17, 1e19)         nanoseconds   1973-03-03 .. 2286-11-20
 * </pre>
 *
 * A fraction ({@code 1764150000.25}) and an exponent ({@code 1.76415e18}) are allowed; what lies
 * below a nanosecond is dropped. Negative numbers, 1e19 and more, and numbers with an exponent or
 * scale beyond ±40 are refused. A millisecond time before 1973-03-03 is thus read as seconds:
 * the price of guessing, and a time no log shipper sends.
 *
 * <p>Stateless; thread-safe.
 */
final class EpochTime {

    /** Seconds below this; milliseconds, microseconds and nanoseconds below 1000, 10^6, 10^9 times it. */
    static final long SECONDS_BELOW = 100_000_000_000L;
    private static final BigDecimal LIMIT = BigDecimal.TEN.pow(19);
    /** The longest text taken as a number: no timestamp needs more, and it bounds the arithmetic. */
    private static final int MAX_LENGTH = 40;
    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private EpochTime() {
    }

    /** Whether {@code t} is a JSON-style number (an optional sign, digits, a fraction, an exponent), so is read as one. */
    static boolean isNumber(String t) {
        return NUMBER.matcher(t).matches();
    }

    /**
     * The instant number {@code t} names.
     *
     * @throws TimberException {@code INVALID_FIELD} naming {@code field} when it is not a number
     *         this rule takes
     */
    static Instant parse(String t, String field) {
        if (t.length() <= 18 && isDigits(t)) { // the common case, in a long
            long value = Long.parseLong(t);
            return value < SECONDS_BELOW ? Instant.ofEpochSecond(value) : scaled(BigDecimal.valueOf(value), field);
        }
        if (t.length() > MAX_LENGTH) {
            throw invalid(field, "is too long for an epoch number");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw invalid(field, "is not a number");
        }
        if (value.scale() > MAX_LENGTH || value.scale() < -MAX_LENGTH) {
            throw invalid(field, "is out of range");
        }
        return scaled(value, field);
    }

    private static Instant scaled(BigDecimal value, String field) {
        if (value.signum() < 0) {
            throw invalid(field, "must not be negative");
        }
        if (value.compareTo(LIMIT) >= 0) {
            throw invalid(field, "is out of range (1e19 or more)");
        }
        int digitsBelowSecond = value.compareTo(BigDecimal.valueOf(SECONDS_BELOW)) < 0 ? 0
                : value.compareTo(BigDecimal.valueOf(SECONDS_BELOW * 1_000)) < 0 ? 3
                : value.compareTo(BigDecimal.valueOf(SECONDS_BELOW * 1_000_000)) < 0 ? 6 : 9;
        BigDecimal seconds = value.movePointLeft(digitsBelowSecond);
        long whole = seconds.longValue(); // the value is positive: the integer part
        int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    private static boolean isDigits(String t) {
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return !t.isEmpty();
    }

    private static TimberException invalid(String field, String why) {
        return TimberException.invalidField(field, why + ": an epoch timestamp is a non-negative number of seconds "
                + "(below 1e11), milliseconds (below 1e14), microseconds (below 1e17) or nanoseconds (below 1e19)");
    }
}
