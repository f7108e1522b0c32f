package io.timberdb.ingest.route;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.time.Duration;

/**
 * The Resilience4j guards of the appends to storage nodes: one {@link Retry} for every batch
 * (named {@value #RETRY}), and per storage node id a {@link CircuitBreaker} and a semaphore
 * {@link Bulkhead}, made on first use from their registries. The registries' tagged Micrometer
 * binders publish every instance, including those made later, as {@code resilience4j_retry_*},
 * {@code resilience4j_circuitbreaker_*} and {@code resilience4j_bulkhead_*} meters.
 *
 * <p>Thread-safe: the registries are concurrent maps of thread-safe instances.
 */
final class AppendGuards {

    /** The name of the retry, its {@code name} tag in the metrics. */
    static final String RETRY = "storage-append";

    private final Retry retry;
    private final CircuitBreakerRegistry breakers;
    private final BulkheadRegistry bulkheads;
    private final RetryRegistry retries;

    AppendGuards(ResilienceProperties props) {
        RetryConfig retryConfig = RetryConfig.custom()
                .maxAttempts(props.maxAttempts())
                .intervalFunction(backoff(props))
                .retryOnException(AppendGuards::retryable)
                .build();
        this.retries = RetryRegistry.of(retryConfig);
        this.retry = retries.retry(RETRY);
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(props.breakerWindow())
                .minimumNumberOfCalls(props.breakerMinimumCalls())
                .failureRateThreshold(props.breakerFailureRate())
                .waitDurationInOpenState(props.breakerOpenWait())
                .permittedNumberOfCallsInHalfOpenState(props.breakerHalfOpenCalls())
                .recordException(AppendGuards::nodeFailure)
                .build());
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(props.maxConcurrentAppends())
                .maxWaitDuration(Duration.ZERO) // a full bulkhead answers busy at once: no unbounded queue
                .build());
    }

    private static IntervalFunction backoff(ResilienceProperties props) {
        return props.jitter() == 0
                ? IntervalFunction.ofExponentialBackoff(props.initialBackoff(), props.backoffMultiplier(), props.maxBackoff())
                : IntervalFunction.ofExponentialRandomBackoff(props.initialBackoff(), props.backoffMultiplier(),
                        props.jitter(), props.maxBackoff());
    }

    /** Publishes the retry, every breaker and every bulkhead, present and future, on {@code metrics}. */
    void bindTo(MeterRegistry metrics) {
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(metrics);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(metrics);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(metrics);
    }

    Retry retry() {
        return retry;
    }

    CircuitBreaker breaker(String node) {
        return breakers.circuitBreaker(node);
    }

    Bulkhead bulkhead(String node) {
        return bulkheads.bulkhead(node);
    }

    /**
     * Whether the same batch may succeed on another attempt: the node does not lead the shard (any
     * more, or yet), too few replicas are in sync, the node is busy, unreachable or slow, or its
     * breaker or bulkhead refused the call. Any other refusal (a 4xx, a 500, a full disk) would be
     * answered again.
     */
    static boolean retryable(Throwable e) {
        if (e instanceof CallNotPermittedException || e instanceof BulkheadFullException) {
            return true;
        }
        return e instanceof TimberException te && switch (te.code()) {
            case NOT_LEADER, STALE_EPOCH, NOT_ENOUGH_REPLICAS, UNAVAILABLE, TIMEOUT -> true;
            default -> false;
        };
    }

    /**
     * Whether a call's failure counts against its node's breaker: the node is unreachable, timed
     * out or failed (5xx). Not a refusal that is about the shard rather than the node
     * ({@code NOT_LEADER}, {@code STALE_EPOCH}, {@code NOT_ENOUGH_REPLICAS}: the node answered,
     * and other shards on it may be fine) nor a 4xx about the batch.
     */
    static boolean nodeFailure(Throwable e) {
        return e instanceof TimberException te && te.code().status() >= 500
                && te.code() != ErrorCode.NOT_ENOUGH_REPLICAS;
    }
}
