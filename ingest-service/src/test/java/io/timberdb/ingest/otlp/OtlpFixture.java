package io.timberdb.ingest.otlp;

import io.timberdb.ingest.push.PushFixture;
import io.timberdb.model.api.Partition;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OTLP logs controller over an in-memory store: partitions {@code otel} (the default, one
 * shard), {@code audit} (two shards) and {@code from-header}.
 */
final class OtlpFixture extends PushFixture {

    static final Partition OTEL = partition("p-otel", "otel", 1);
    static final Partition AUDIT = partition("p-audit", "audit", 2);
    static final Partition FROM_HEADER = partition("p-header", "from-header", 1);

    OtlpFixture() {
        this(OtlpProperties.defaults());
    }

    OtlpFixture(OtlpProperties props) {
        super(List.of(OTEL, AUDIT, FROM_HEADER),
                (router, view) -> new OtlpLogsController(router, props, JsonMapper.builder().build()), 256 * 1024);
    }
}
