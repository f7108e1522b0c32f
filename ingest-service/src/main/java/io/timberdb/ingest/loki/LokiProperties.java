package io.timberdb.ingest.loki;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code timberdb.ingest.loki.*}: the Loki push route ({@code POST /loki/api/v1/push}).
 *
 * @param partitionLabel the stream label that names the partition a stream is written to (its
 *        value is a partition id or name); the label stays a tag too
 * @param partitionHeader the request header that names the partition of the streams without
 *        {@code partitionLabel}
 * @param defaultPartition the partition of the streams with neither; it must exist (it is not
 *        created on demand: create it with {@code POST /api/v1/partitions})
 * @param sourceLabels the labels whose first non-blank value (stream labels and structured
 *        metadata alike) becomes an entry's source; {@code loki} when none is set
 * @param maxBodySize the largest body accepted as sent (413 beyond); the codecs' in-memory limit
 *        ({@code spring.http.codecs.max-in-memory-size}) must be at least as large
 * @param maxDecompressedSize the largest body accepted after snappy or gzip (413 beyond): a
 *        small body may decompress to much more
 * @param maxConcurrentPushes pushes decoded and written at once; one more is answered 429 with
 *        {@code Retry-After}. The route's memory is bounded by this times the body, the
 *        decompressed body and the entries made from it
 */
@Validated
@ConfigurationProperties("timberdb.ingest.loki")
public record LokiProperties(
        @DefaultValue("partition") @NotBlank String partitionLabel,
        @DefaultValue("X-TimberDB-Partition") @NotBlank String partitionHeader,
        @DefaultValue("loki") @NotBlank String defaultPartition,
        @DefaultValue({"host", "hostname", "instance", "job"}) @NotNull List<String> sourceLabels,
        @DefaultValue("16MB") @NotNull DataSize maxBodySize,
        @DefaultValue("64MB") @NotNull DataSize maxDecompressedSize,
        @DefaultValue("8") @Min(1) int maxConcurrentPushes) {

    /** The source of an entry none of whose {@link #sourceLabels} is set. */
    static final String DEFAULT_SOURCE = "loki";

    /** The tag that records the {@code X-Scope-OrgID} header. */
    static final String TENANT_TAG = "tenant";

    /** The defaults, as a service without overrides runs with them. */
    static LokiProperties defaults() {
        return new LokiProperties("partition", "X-TimberDB-Partition", "loki", List.of("host", "hostname", "instance", "job"),
                DataSize.ofMegabytes(16), DataSize.ofMegabytes(64), 8);
    }
}
