package io.timberdb.ingest.loki;

import io.timberdb.ingest.push.PushFixture;
import io.timberdb.model.api.Partition;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Loki push controller over an in-memory store: partitions {@code loki} (the default, one
 * shard), {@code audit} (two shards) and {@code from-header}; what is written is kept by partition.
 */
final class LokiFixture extends PushFixture {

    static final Partition LOKI = partition("p-loki", "loki", 1);
    static final Partition AUDIT = partition("p-audit", "audit", 2);
    static final Partition FROM_HEADER = partition("p-header", "from-header", 1);

    LokiFixture() {
        this(LokiProperties.defaults());
    }

    LokiFixture(LokiProperties props) {
        this(props, 256 * 1024);
    }

    /** With the codecs' in-memory limit at {@code codecLimit} bytes. */
    LokiFixture(LokiProperties props, int codecLimit) {
        super(List.of(LOKI, AUDIT, FROM_HEADER),
                (router, view) -> new LokiPushController(router, props, JsonMapper.builder().build()), codecLimit);
    }
}
