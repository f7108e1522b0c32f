package io.timberdb.ingest.limit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code timberdb.ingest.throttled}: the ingest requests refused by the rate limiter, tagged by
 * {@code tenant} and by {@code limit} ({@code requests} or {@code bytes}). Tenant names come from
 * requests, so the tag's values are capped: the first {@code max-tenant-tags} tenants throttled
 * are named, every later one is counted as {@code other}.
 *
 * <p>Thread-safe: the set of named tenants is concurrent; it may name a few more than the cap when
 * new tenants race past it, never unboundedly many.
 */
final class ThrottleMetrics {

    static final String NAME = "timberdb.ingest.throttled";
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final int maxTenants;
    private final Set<String> named = ConcurrentHashMap.newKeySet();

    ThrottleMetrics(MeterRegistry registry, int maxTenants) {
        this.registry = registry;
        this.maxTenants = maxTenants;
    }

    /** Counts one refusal of {@code tenant}'s request by its {@code limit} bucket. */
    void throttled(String tenant, String limit) {
        Counter.builder(NAME).description("Ingest requests refused by the per-tenant rate limiter")
                .tag("tenant", tag(tenant)).tag("limit", limit).register(registry).increment();
    }

    private String tag(String tenant) {
        if (named.contains(tenant)) {
            return tenant;
        }
        if (named.size() < maxTenants) {
            named.add(tenant);
            return tenant;
        }
        return OTHER;
    }
}
