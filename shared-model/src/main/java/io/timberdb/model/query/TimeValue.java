package io.timberdb.model.query;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A point in time of a time condition: a timestamp literal, or {@code now()} plus or minus a duration. */
public sealed interface TimeValue {

    /** The instant this value names when the query starts at {@code now}. */
    Instant resolve(Instant now);

    /** {@code '2026-11-01T00:00:00Z'}: an RFC 3339 timestamp. */
    record Absolute(Instant at) implements TimeValue {
        public Absolute {
            Objects.requireNonNull(at, "at");
        }

        @Override
        public Instant resolve(Instant now) {
            return at;
        }
    }

    /**
     * {@code now()}, {@code now() - 1h}, {@code now() + 5m}: the query's start time plus {@code offset}.
     *
     * @param offset negative for {@code now() - d}, zero for {@code now()}; whole milliseconds
     */
    record Now(Duration offset) implements TimeValue {
        public Now {
            Objects.requireNonNull(offset, "offset");
            if (offset.toNanos() % 1_000_000 != 0) {
                throw new IllegalArgumentException("a now() offset is a whole number of milliseconds: " + offset);
            }
        }

        @Override
        public Instant resolve(Instant now) {
            return now.plus(offset);
        }
    }
}
