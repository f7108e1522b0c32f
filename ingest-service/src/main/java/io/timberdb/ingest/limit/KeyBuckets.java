package io.timberdb.ingest.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The token buckets of each key (tenant or client address), made on a key's first request with
 * its limits ({@link RateLimitProperties#limitsOf}). Memory is bounded: a key unused for
 * {@code idle-eviction} is dropped, and past {@code max-keys} the least recently used go, so
 * made-up tenants or a scan from many addresses cannot grow the map without limit. A dropped key
 * comes back with full buckets: that is why the idle time should outlast a bucket's refill.
 *
 * <p>Thread-safe: the cache is concurrent and each bucket synchronizes itself.
 */
final class KeyBuckets {

    /** A key's two buckets. */
    record Buckets(TokenBucket requests, TokenBucket bytes) {
    }

    private final RateLimitProperties props;
    private final InstantSource clock;
    private final Cache<String, Buckets> buckets;

    KeyBuckets(RateLimitProperties props, InstantSource clock) {
        this.props = props;
        this.clock = clock;
        Ticker ticker = this::now;
        this.buckets = Caffeine.newBuilder().maximumSize(props.maxKeys()).expireAfterAccess(props.idleEviction())
                .ticker(ticker).executor(Runnable::run).build();
    }

    /** The buckets of {@code key}, made full when it has none. */
    Buckets of(String key) {
        return buckets.get(key, this::create);
    }

    /** The clock's time in nanoseconds since the epoch: the time the buckets are kept in. */
    long now() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** How many keys have buckets now (after evicting what is due). */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Buckets create(String key) {
        RateLimitProperties.Limits limits = props.limitsOf(key);
        long now = now();
        return new Buckets(TokenBucket.perMinute(limits.burst(), limits.requestsPerMinute(), now),
                TokenBucket.perSecond(limits.burstBytes().toBytes(), limits.bytesPerSecond().toBytes(), now));
    }
}
