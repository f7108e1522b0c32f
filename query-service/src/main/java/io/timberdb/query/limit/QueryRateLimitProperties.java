package io.timberdb.query.limit;

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
import org.springframework.validation.annotation.Validated;

/**
 * {@code timberdb.query.rate-limit.*}: a per-tenant token bucket on the requests of every query
 * route (the spec's {@code api.rate_limiting}), besides the cap on queries running at once
 * ({@code timberdb.query.max-concurrent-queries}).
 *
 * @param enabled whether query requests are limited at all
 * @param keyBy what a bucket belongs to: the caller's tenant or its client address
 * @param requestsPerMinute the sustained request rate of a key
 * @param burst the requests a key may send at once after being idle (the bucket's capacity)
 * @param overrides limits of their own for some keys (tenant names, or addresses with
 *        {@code key-by: ip}); what an override leaves out is the default's
 * @param enableRateLimitHeaders whether admitted requests carry the {@code RateLimit-*} headers
 *        too (refused ones always do)
 * @param maxKeys the most keys whose buckets are kept; past it the least recently used go
 * @param idleEviction a key's bucket is dropped after this long unused; a dropped key starts again
 *        with a full bucket, so keep it at least as long as the bucket takes to fill
 * @param maxTenantTags the most distinct tenants the throttling metric names; the rest are
 *        counted under {@code tenant=other}
 */
@Validated
@ConfigurationProperties("timberdb.query.rate-limit")
public record QueryRateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("tenant") @NotNull KeyBy keyBy,
        @DefaultValue("60000") @Min(1) @Max(TokenBucket.MAX_PER_MINUTE) long requestsPerMinute,
        @DefaultValue("2000") @Min(1) @Max(TokenBucket.MAX_PER_MINUTE) long burst,
        @DefaultValue Map<String, @Valid Limits> overrides,
        @DefaultValue("true") boolean enableRateLimitHeaders,
        @DefaultValue("10000") @Min(1) int maxKeys,
        @DefaultValue("10m") @NotNull Duration idleEviction,
        @DefaultValue("100") @Min(0) int maxTenantTags) {

    /** The limits of one key; a null member is the default's. */
    public record Limits(@Min(1) @Max(TokenBucket.MAX_PER_MINUTE) Long requestsPerMinute,
                         @Min(1) @Max(TokenBucket.MAX_PER_MINUTE) Long burst) {
    }

    public QueryRateLimitProperties {
        overrides = Map.copyOf(overrides);
    }

    /** The limits of {@code key}: its override's members, the defaults for the rest. */
    Limits limitsOf(String key) {
        Limits override = overrides.get(key);
        return new Limits(override == null || override.requestsPerMinute() == null ? requestsPerMinute
                : override.requestsPerMinute(), override == null || override.burst() == null ? burst : override.burst());
    }
}
