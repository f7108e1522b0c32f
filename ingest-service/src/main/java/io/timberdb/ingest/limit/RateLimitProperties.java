package io.timberdb.ingest.limit;

import io.timberdb.model.limit.KeyBy;
import io.timberdb.model.limit.TokenBucket;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code timberdb.ingest.rate-limit.*}: per-tenant token buckets on every ingest route (the spec's
 * {@code api.rate_limiting}), one on requests and one on payload bytes (the body with its
 * {@code Content-Encoding: gzip} undone, a Loki snappy block at its uncompressed length).
 *
 * @param enabled whether ingest requests are limited at all
 * @param keyBy what a bucket belongs to: the request's tenant ({@link TenantResolver}) or its
 *        client address ({@link KeyBy})
 * @param requestsPerMinute the sustained request rate of a key
 * @param burst the requests a key may send at once after being idle (the request bucket's capacity)
 * @param bytesPerSecond the sustained payload rate of a key
 * @param burstBytes the payload a key may send at once after being idle; a single request with a
 *        larger payload can never be admitted and is refused 413, so keep it at least as large as
 *        the routes' largest decompressed body
 * @param overrides limits of their own for some keys (tenant names, or addresses with
 *        {@code key-by: ip}); what an override leaves out is the default's
 * @param enableRateLimitHeaders whether admitted requests carry the {@code RateLimit-*} headers
 *        too (refused ones always do)
 * @param maxKeys the most keys whose buckets are kept; past it the least recently used go
 * @param idleEviction a key's buckets are dropped after this long unused; a dropped key starts
 *        again with full buckets, so keep it at least as long as the buckets take to fill
 * @param maxTenantTags the most distinct tenants the throttling metric names; the rest are counted
 *        under {@code tenant=other}, so that a flood of made-up tenants cannot swell the registry
 */
@Validated
@ConfigurationProperties("timberdb.ingest.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("tenant") @NotNull KeyBy keyBy,
        @DefaultValue("60000") @Min(1) @Max(MAX_REQUESTS) long requestsPerMinute,
        @DefaultValue("2000") @Min(1) @Max(MAX_REQUESTS) long burst,
        @DefaultValue("64MB") @NotNull DataSize bytesPerSecond,
        @DefaultValue("256MB") @NotNull DataSize burstBytes,
        @DefaultValue Map<String, @Valid Limits> overrides,
        @DefaultValue("true") boolean enableRateLimitHeaders,
        @DefaultValue("10000") @Min(1) int maxKeys,
        @DefaultValue("10m") @NotNull Duration idleEviction,
        @DefaultValue("100") @Min(0) int maxTenantTags) {

    /** The largest request burst or rate: {@code burst} minutes of nanoseconds must fit in a long. */
    static final long MAX_REQUESTS = TokenBucket.MAX_PER_MINUTE;
    /** The largest byte burst or rate, 8 GiB: {@code burstBytes} seconds of nanoseconds must fit in a long. */
    static final long MAX_BYTES = 8L << 30;

    /**
     * The limits of one key; a null member is the default's.
     */
    public record Limits(@Min(1) @Max(MAX_REQUESTS) Long requestsPerMinute, @Min(1) @Max(MAX_REQUESTS) Long burst,
                         DataSize bytesPerSecond, DataSize burstBytes) {
    }

    public RateLimitProperties {
        overrides = Map.copyOf(overrides);
        requireBytes("bytes-per-second", bytesPerSecond);
        requireBytes("burst-bytes", burstBytes);
        overrides.forEach((key, limits) -> {
            requireBytes("overrides." + key + ".bytes-per-second", limits.bytesPerSecond());
            requireBytes("overrides." + key + ".burst-bytes", limits.burstBytes());
        });
    }

    /** The limits of {@code key}: its override's members, the defaults for the rest. */
    Limits limitsOf(String key) {
        Limits override = overrides.get(key);
        if (override == null) {
            return new Limits(requestsPerMinute, burst, bytesPerSecond, burstBytes);
        }
        return new Limits(or(override.requestsPerMinute(), requestsPerMinute), or(override.burst(), burst),
                or(override.bytesPerSecond(), bytesPerSecond), or(override.burstBytes(), burstBytes));
    }

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }

    private static void requireBytes(String name, DataSize size) {
        if (size != null && (size.toBytes() < 1 || size.toBytes() > MAX_BYTES)) {
            throw new IllegalArgumentException("timberdb.ingest.rate-limit." + name + " must be from 1 byte to 8GB, not "
                    + size);
        }
    }
}
