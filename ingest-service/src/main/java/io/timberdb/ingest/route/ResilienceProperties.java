package io.timberdb.ingest.route;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code timberdb.ingest.resilience.*}: how the ingest service appends a shard's batch to the
 * shard's leader (see {@link LeaderShardWriter}). Every attempt of a request also stays within
 * the request's deadline, {@code timberdb.ingest.write-timeout}.
 *
 * @param attemptTimeout how long one attempt waits for the storage node's answer; a leader waits
 *        for its in-sync replicas before it answers, so this outlasts an ISR shrink (3 s)
 * @param maxAttempts attempts per batch, the first one included
 * @param initialBackoff the wait before the first retry
 * @param backoffMultiplier how much each further wait grows
 * @param maxBackoff the longest wait between two attempts
 * @param jitter the randomisation factor of each wait, 0 (none) to below 1: a wait {@code w}
 *        becomes a random one in {@code [w(1 - jitter), w(1 + jitter)]}
 * @param breakerFailureRate the percentage of failed calls (unreachable, timed out, 5xx other
 *        than {@code NOT_ENOUGH_REPLICAS}) at which a storage node's circuit breaker opens
 * @param breakerWindow how many of a node's latest calls the failure rate is taken over
 * @param breakerMinimumCalls how many calls a node's breaker needs before it may open
 * @param breakerOpenWait how long an open breaker fails calls fast before it lets a few through
 * @param breakerHalfOpenCalls how many calls a half-open breaker lets through to decide
 * @param maxConcurrentAppends appends in flight to one storage node; one more fails fast as busy
 */
@Validated
@ConfigurationProperties("timberdb.ingest.resilience")
public record ResilienceProperties(
        @DefaultValue("5s") @NotNull Duration attemptTimeout,
        @DefaultValue("10") @Min(1) int maxAttempts,
        @DefaultValue("100ms") @NotNull Duration initialBackoff,
        @DefaultValue("2.0") @DecimalMin("1.0") double backoffMultiplier,
        @DefaultValue("2s") @NotNull Duration maxBackoff,
        @DefaultValue("0.5") @DecimalMin("0.0") @DecimalMax(value = "1.0", inclusive = false) double jitter,
        @DefaultValue("50") @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("100.0") float breakerFailureRate,
        @DefaultValue("20") @Min(1) int breakerWindow,
        @DefaultValue("10") @Min(1) int breakerMinimumCalls,
        @DefaultValue("5s") @NotNull Duration breakerOpenWait,
        @DefaultValue("3") @Min(1) int breakerHalfOpenCalls,
        @DefaultValue("64") @Min(1) int maxConcurrentAppends) {

    /** The defaults, as a service without overrides runs with them. */
    public static ResilienceProperties defaults() {
        return new ResilienceProperties(Duration.ofSeconds(5), 10, Duration.ofMillis(100), 2.0, Duration.ofSeconds(2),
                0.5, 50, 20, 10, Duration.ofSeconds(5), 3, 64);
    }
}
