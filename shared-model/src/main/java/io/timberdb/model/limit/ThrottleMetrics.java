package io.timberdb.model.limit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A counter of the requests a rate limiter refused ({@code timberdb.ingest.throttled},
 * {@code timberdb.query.throttled}), tagged by {@code tenant} and by {@code limit} (the bucket
 * that refused: {@code requests} or {@code bytes}). Tenant names come from requests, so the tag's
 * values are capped: the first {@code max-tenant-tags} tenants throttled are named, every later
 * one is counted as {@code other}.
 *
 * <p>Thread-safe: the set of named tenants is concurrent; it may name a few more than the cap when
 * new tenants race past it, never unboundedly many.
 */
public final class ThrottleMetrics {

    /** The tag value of the tenants past the cap. */
    public static final String OTHER = "other";

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final int maxTenants;
    private final Set<String> named = ConcurrentHashMap.newKeySet();

    /**
     * @param name the counter's name
     * @param description what it counts
     * @param maxTenants the most tenants named in its {@code tenant} tag
     */
    public ThrottleMetrics(MeterRegistry registry, String name, String description, int maxTenants) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.maxTenants = maxTenants;
    }

    /** Counts one refusal of {@code tenant}'s request by its {@code limit} bucket. */
    public void throttled(String tenant, String limit) {
        Counter.builder(name).description(description)
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
