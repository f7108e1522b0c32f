package io.timberdb.security.limits;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The request limits of the spec's {@code [api]} section ({@code timberdb.api.*}), applied by the
 * process that serves the public API (the gateway in a cluster, the standalone). The maximum body
 * size is the ingest routes' own ({@code timberdb.ingest.max-request-size}), and per-tenant rates
 * are the rate limits'. The spec's {@code keep_alive_timeout} is not applied: see
 * docs/architecture.md, "Request limits".
 *
 * @param maxConcurrentRequests the spec's {@code max_concurrent_requests}: public API requests
 *        handled at once; one more is answered 429 {@code TOO_MANY_REQUESTS} with
 *        {@code Retry-After}, before authentication. {@code /health} and {@code /actuator/**} are
 *        not counted, so probes and Prometheus still get through
 * @param requestTimeout the spec's {@code request_timeout}: how long a request's body may take to
 *        arrive, counted from the request's start; a body still arriving after it fails the
 *        request 408 {@code REQUEST_TIMEOUT}, and since every ingest route reads its whole body
 *        before it stores anything, such a request stores nothing. Not a limit on the time to
 *        answer: queries have their own ({@code timberdb.query.*}), and a write that has its body
 *        is never cut off (its outcome would be unknown to the client)
 */
@Validated
@ConfigurationProperties("timberdb.api")
public record ApiLimitsProperties(
        @DefaultValue("1000") @Min(1) int maxConcurrentRequests,
        @DefaultValue("30s") @NotNull @DurationMin(millis = 1) Duration requestTimeout) {
}
