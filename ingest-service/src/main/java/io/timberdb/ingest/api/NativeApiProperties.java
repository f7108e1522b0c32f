package io.timberdb.ingest.api;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code timberdb.ingest.*}: the limits of the native write API
 * ({@code POST /api/v1/partitions/{partition}/logs}).
 *
 * @param maxRequestSize the largest body accepted, both as sent and after its
 *        {@code Content-Encoding} is undone (the spec's {@code max_request_size}); beyond either,
 *        413 {@code PAYLOAD_TOO_LARGE}, answered as soon as the limit is crossed
 * @param maxConcurrentRequests requests read and written at once; one more is answered 429
 *        {@code TOO_MANY_REQUESTS} with {@code Retry-After}. The API's memory is bounded by this
 *        times the entries parsed from one body of at most {@code maxRequestSize} bytes (the raw
 *        body is never held whole)
 */
@Validated
@ConfigurationProperties("timberdb.ingest")
public record NativeApiProperties(
        @DefaultValue("16MB") @NotNull DataSize maxRequestSize,
        @DefaultValue("16") @Min(1) int maxConcurrentRequests) {

    /** The defaults, as bound from no properties at all. */
    public static NativeApiProperties defaults() {
        return new NativeApiProperties(DataSize.ofMegabytes(16), 16);
    }
}
