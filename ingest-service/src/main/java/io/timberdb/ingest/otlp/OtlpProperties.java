package io.timberdb.ingest.otlp;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code timberdb.ingest.otlp.*}: the OTLP/HTTP logs route ({@code POST /v1/logs}).
 *
 * @param partitionAttribute the resource attribute that names the partition a resource's records
 *        are written to (a partition id or name); it stays a tag too
 * @param partitionHeader the request header that names the partition of the resources without
 *        {@code partitionAttribute}
 * @param defaultPartition the partition of the resources with neither; it must exist (it is not
 *        created on demand: create it with {@code POST /api/v1/partitions})
 * @param maxBodySize the largest body accepted as sent (413 beyond); the codecs' in-memory limit
 *        ({@code spring.http.codecs.max-in-memory-size}) must be at least as large
 * @param maxDecompressedSize the largest body accepted after gzip (413 beyond)
 * @param maxConcurrentPushes requests decoded and written at once; one more is answered 429 with
 *        {@code Retry-After}
 */
@Validated
@ConfigurationProperties("timberdb.ingest.otlp")
public record OtlpProperties(
        @DefaultValue("timberdb.partition") @NotBlank String partitionAttribute,
        @DefaultValue("X-TimberDB-Partition") @NotBlank String partitionHeader,
        @DefaultValue("otel") @NotBlank String defaultPartition,
        @DefaultValue("16MB") @NotNull DataSize maxBodySize,
        @DefaultValue("64MB") @NotNull DataSize maxDecompressedSize,
        @DefaultValue("8") @Min(1) int maxConcurrentPushes) {

    /** The defaults, as a service without overrides runs with them. */
    static OtlpProperties defaults() {
        return new OtlpProperties("timberdb.partition", "X-TimberDB-Partition", "otel", DataSize.ofMegabytes(16),
                DataSize.ofMegabytes(64), 8);
    }
}
