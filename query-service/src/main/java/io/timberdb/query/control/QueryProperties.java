package io.timberdb.query.control;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The query engine's limits ({@code timberdb.query.*}), the spec's {@code [query]} settings.
 *
 * @param maxResults the most entries one query may ask for ({@code max_results}); a larger
 *        {@code limit} is refused
 * @param defaultLimit entries returned when a query gives no limit ({@code default_limit})
 * @param timeout how long a query runs when it names no timeout ({@code timeout}); a shard that
 *        has not answered by then makes the result partial
 * @param maxTimeout the longest timeout a query may ask for ({@code max_timeout})
 * @param maxConcurrentQueries queries executing at once; one more is refused with 429
 *        ({@code max_concurrent_queries})
 * @param finishedQueriesKept finished queries whose status stays available, the most recent first
 * @param slowQueryThreshold a query running longer is logged at INFO with its figures
 *        ({@code slow_query_threshold})
 * @param maxMemoryPerQuery the most the entries a query gathers from its shards may take in this
 *        process's heap, estimated; beyond it the query fails with {@code QUERY_MEMORY_EXCEEDED}
 *        instead of exhausting the heap ({@code max_memory_per_query}; the spec's 2 GB default is
 *        more than a query service's default heap, so the default here is 256 MB)
 * @param resultCacheSize the most heap, estimated, that cached query answers may take (the result
 *        cache: an identical query is answered again while none of the shards it read has changed);
 *        {@code 0} turns the cache off. Not one of the spec's settings.
 * @param hedgeDelay how long a shard's in-sync replica may take before the same shard query is
 *        also sent to the next in-sync replica (a hedged request: the first answer is taken, the
 *        other request cancelled); {@code 0} turns hedging off (TDB-05). Not one of the spec's settings.
 */
@Validated
@ConfigurationProperties("timberdb.query")
public record QueryProperties(
        @DefaultValue("1000000") @Min(1) int maxResults,
        @DefaultValue("1000") @Min(1) int defaultLimit,
        @DefaultValue("120s") Duration timeout,
        @DefaultValue("300s") Duration maxTimeout,
        @DefaultValue("50") @Min(1) @Max(100_000) int maxConcurrentQueries,
        @DefaultValue("1000") @Min(0) int finishedQueriesKept,
        @DefaultValue("5s") Duration slowQueryThreshold,
        @DefaultValue("256MB") DataSize maxMemoryPerQuery,
        @DefaultValue("64MB") DataSize resultCacheSize,
        @DefaultValue("200ms") Duration hedgeDelay) {

    /** The spec's values (and a 64 MB result cache, hedging after 200 ms). */
    public static final QueryProperties DEFAULTS = new QueryProperties(1_000_000, 1000, Duration.ofSeconds(120),
            Duration.ofSeconds(300), 50, 1000, Duration.ofSeconds(5), DataSize.ofMegabytes(256), DataSize.ofMegabytes(64),
            Duration.ofMillis(200));

    public QueryProperties {
        if (defaultLimit > maxResults) {
            throw new IllegalArgumentException("timberdb.query.default-limit (" + defaultLimit
                    + ") exceeds timberdb.query.max-results (" + maxResults + ")");
        }
        if (maxMemoryPerQuery.toBytes() < 1 || maxMemoryPerQuery.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timberdb.query.max-memory-per-query must be 1B to 2GB, was " + maxMemoryPerQuery);
        }
        if (resultCacheSize.toBytes() < 0) {
            throw new IllegalArgumentException("timberdb.query.result-cache-size must not be negative, was " + resultCacheSize);
        }
        if (hedgeDelay.isNegative()) {
            throw new IllegalArgumentException("timberdb.query.hedge-delay must not be negative, was " + hedgeDelay);
        }
        if (timeout.compareTo(maxTimeout) > 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timberdb.query.timeout (" + timeout
                    + ") must be positive and at most timberdb.query.max-timeout (" + maxTimeout + ")");
        }
    }

    /** These limits with a result cache of {@code size} ({@code 0}: none). */
    public QueryProperties withResultCacheSize(DataSize size) {
        return new QueryProperties(maxResults, defaultLimit, timeout, maxTimeout, maxConcurrentQueries, finishedQueriesKept,
                slowQueryThreshold, maxMemoryPerQuery, size, hedgeDelay);
    }

    /** These limits with hedged shard requests after {@code delay} ({@code 0}: none). */
    public QueryProperties withHedgeDelay(Duration delay) {
        return new QueryProperties(maxResults, defaultLimit, timeout, maxTimeout, maxConcurrentQueries, finishedQueriesKept,
                slowQueryThreshold, maxMemoryPerQuery, resultCacheSize, delay);
    }
}
