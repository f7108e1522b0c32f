package io.timberdb.model.query;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code bin(time, <width>)}: the entry's timestamp rounded down to a multiple of {@code width}
 * counted from the epoch (1970-01-01T00:00:00Z), so bins of a width are the same in every query.
 *
 * @param width positive, a whole number of milliseconds
 */
public record Bin(Duration width) implements SelectItem, GroupKey {

    public Bin {
        Objects.requireNonNull(width, "width");
        if (width.isNegative() || width.isZero() || width.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("a bin width is a positive whole number of milliseconds: " + width);
        }
    }
}
