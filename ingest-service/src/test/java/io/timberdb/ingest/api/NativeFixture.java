package io.timberdb.ingest.api;

import io.timberdb.ingest.push.PushFixture;
import io.timberdb.model.api.Partition;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The native write API over an in-memory store of partition {@code app} (two shards). The codecs'
 * in-memory limit is 64 KiB: the API streams its bodies, so it must not matter.
 */
final class NativeFixture extends PushFixture {

    static final Partition APP = partition("p-app", "app", 2);
    static final String PATH = "/api/v1/partitions/app/logs";
    static final String NDJSON = "application/x-ndjson";

    NativeFixture() {
        this(NativeApiProperties.defaults());
    }

    NativeFixture(NativeApiProperties props) {
        super(List.of(APP), (router, view) -> new LogsController(router, JsonMapper.builder().build(), props), 64 * 1024);
    }
}
