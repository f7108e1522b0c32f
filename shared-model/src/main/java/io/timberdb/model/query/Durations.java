package io.timberdb.model.query;

import java.time.Duration;
import java.util.List;

/**
 * Duration literals: a whole number and a unit, {@code ms}, {@code s}, {@code m}, {@code h} or
 * {@code d} (24 hours). The canonical form uses the largest unit that divides the duration exactly.
 */
final class Durations {

    private static final List<String> UNITS = List.of("d", "h", "m", "s", "ms");
    private static final long[] MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    /** Durations up to 100 years (36,500 days): anything longer is a typo. */
    static final long MAX_MILLIS = 36_500L * 86_400_000L;

    private Durations() {
    }

    /** The duration a literal like {@code 30s} names, or null when it exceeds {@link #MAX_MILLIS}. */
    static Duration parse(String literal) {
        int split = 0;
        while (split < literal.length() && Character.isDigit(literal.charAt(split))) {
            split++;
        }
        String unit = literal.substring(split);
        long unitMillis = MILLIS[UNITS.indexOf(unit)];
        String digits = literal.substring(0, split);
        if (digits.length() > 18) {
            return null;
        }
        long count = Long.parseLong(digits);
        return count > MAX_MILLIS / unitMillis ? null : Duration.ofMillis(count * unitMillis);
    }

    /** The canonical literal of a non-negative duration of whole milliseconds. */
    static String print(Duration d) {
        long millis = d.toMillis();
        for (int u = 0; u < UNITS.size(); u++) {
            if (millis % MILLIS[u] == 0 && (millis != 0 || u == UNITS.size() - 2)) {
                return millis / MILLIS[u] + UNITS.get(u);
            }
        }
        return millis + "ms";
    }
}
