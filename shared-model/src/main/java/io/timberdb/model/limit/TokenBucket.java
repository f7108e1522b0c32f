package io.timberdb.model.limit;

/**
 * A token bucket: holds at most {@code capacity} tokens and gains {@code amount} tokens every
 * {@code period} nanoseconds, continuously; a take of {@code n} tokens is admitted when the bucket
 * holds {@code n} and then removes them. So over any interval of {@code t} nanoseconds it admits at
 * most {@code capacity + amount * t / period} tokens, and a full bucket absorbs a burst of
 * {@code capacity}.
 *
 * <p>The count is kept exactly, in units of {@code 1/period} token (a long): no rounding can
 * admit a token more than the rate allows. {@code capacity * period} must fit in a long (the
 * properties bound the bursts so that it does). Time is passed in by the caller, in nanoseconds
 * of any clock that does not go backwards (a step back is treated as no time passing).
 *
 * <p>Thread-safe: every method is synchronized on the bucket (one per tenant, so contention is
 * that of one tenant's concurrent requests).
 */
public final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * The largest capacity or rate of a {@link #perMinute} bucket: a minute of nanoseconds times
     * the capacity must fit in a long.
     */
    public static final long MAX_PER_MINUTE = 100_000_000L;

    private final long capacity;
    private final long amount;
    private final long period;
    /** {@code capacity * period}: a full bucket, in units. */
    private final long full;
    /** The tokens held, in units of {@code 1/period} token. */
    private long units;
    /** When {@link #units} was last brought up to date. */
    private long updated;

    /**
     * A full bucket at {@code now}.
     *
     * @param capacity the most tokens held (the burst), at least 1
     * @param amount tokens gained every {@code period}, at least 1
     * @param period nanoseconds, at least 1
     */
    public TokenBucket(long capacity, long amount, long period, long now) {
        if (capacity < 1 || amount < 1 || period < 1) {
            throw new IllegalArgumentException("capacity, amount and period must be positive");
        }
        this.capacity = capacity;
        this.amount = amount;
        this.period = period;
        this.full = Math.multiplyExact(capacity, period);
        this.units = full;
        this.updated = now;
    }

    /** A bucket of {@code perMinute} tokens a minute. */
    public static TokenBucket perMinute(long capacity, long perMinute, long now) {
        return new TokenBucket(capacity, perMinute, 60 * NANOS_PER_SECOND, now);
    }

    /** A bucket of {@code perSecond} tokens a second. */
    public static TokenBucket perSecond(long capacity, long perSecond, long now) {
        return new TokenBucket(capacity, perSecond, NANOS_PER_SECOND, now);
    }

    /**
     * Takes {@code n} tokens if the bucket holds them at {@code now}; either way answers the state
     * after the attempt. A take of more than the capacity is never admitted ({@link Quota#never()}).
     */
    public synchronized Quota take(long n, long now) {
        refill(now);
        boolean never = n > capacity;
        boolean admitted = !never && n * period <= units;
        if (admitted) {
            units -= n * period;
        }
        long retryAfter = admitted || never ? 0 : seconds(n * period - units);
        return new Quota(admitted, never, capacity, units / period, seconds(full - units), retryAfter);
    }

    /** The tokens held at {@code now}, rounded down. */
    public synchronized long available(long now) {
        refill(now);
        return units / period;
    }

    private void refill(long now) {
        long elapsed = now - updated;
        if (elapsed <= 0) {
            return;
        }
        updated = now;
        long missing = full - units;
        // elapsed * amount could overflow after a long idle spell: past missing / amount the bucket is full anyway
        units = elapsed > missing / amount ? full : Math.min(full, units + elapsed * amount);
    }

    /** The whole seconds (rounded up) until {@code more} units have been gained. */
    private long seconds(long more) {
        if (more <= 0) {
            return 0;
        }
        long nanos = (more + amount - 1) / amount;
        return (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    }

    /**
     * A bucket's answer to a take, in the terms of the IETF rate-limit headers.
     *
     * @param admitted whether the tokens were taken
     * @param never whether the take asked for more than the capacity, so that no wait would admit it
     * @param limit the capacity (the burst): {@code RateLimit-Limit}
     * @param remaining the whole tokens left: {@code RateLimit-Remaining}
     * @param reset seconds until the bucket is full again: {@code RateLimit-Reset}
     * @param retryAfter seconds until the refused take would be admitted; 0 when admitted or never
     */
    public record Quota(boolean admitted, boolean never, long limit, long remaining, long reset, long retryAfter) {

        /** The share of the capacity left, from 0 to 1: which of two quotas is nearer exhaustion. */
        public double left() {
            return (double) remaining / limit;
        }
    }
}
