package io.timberdb.model.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.BiFunction;

/**
 * The token buckets of each key (tenant or client address) of a rate limiter, made on a key's
 * first request. Memory is bounded: a key unused for {@code idleEviction} is dropped, and past
 * {@code maxKeys} the least recently used go, so made-up tenants or a scan from many addresses
 * cannot grow the map without limit. A dropped key comes back with full buckets: that is why the
 * idle time should outlast a bucket's refill.
 *
 * <p>Thread-safe: the cache is concurrent and each bucket synchronizes itself.
 *
 * @param <B> what a key has: one {@link TokenBucket}, or a record of several
 */
public final class KeyedBuckets<B> {

    private final InstantSource clock;
    private final BiFunction<String, Long, B> create;
    private final Cache<String, B> buckets;

    /**
     * @param create makes the full buckets of a key at a time (nanoseconds, {@link #now()})
     */
    public KeyedBuckets(int maxKeys, Duration idleEviction, InstantSource clock, BiFunction<String, Long, B> create) {
        this.clock = clock;
        this.create = create;
        Ticker ticker = this::now;
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(idleEviction)
                .ticker(ticker).executor(Runnable::run).build();
    }

    /** The buckets of {@code key}, made full when it has none. */
    public B of(String key) {
        return buckets.get(key, k -> create.apply(k, now()));
    }

    /** The clock's time in nanoseconds since the epoch: the time the buckets are kept in. */
    public long now() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** How many keys have buckets now (after evicting what is due). */
    public long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
