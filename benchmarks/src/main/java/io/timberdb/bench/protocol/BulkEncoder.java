package io.timberdb.bench.protocol;

import io.timberdb.bench.data.GeneratedEntry;
import io.timberdb.bench.data.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The body of an Elasticsearch {@code POST /{index}/_bulk}: per entry a {@code {"create":{}}}
 * action line (the index is the path's) and an ECS-style source line
 * {@code {"@timestamp":…,"host":{"name":…},"system":…,"level":…,"component":…,"message":…}}. The
 * server's default mapping takes {@code @timestamp} as the time, {@code host.name} as the source
 * (not repeated as a tag) and {@code message} as the message; every other field is a tag.
 *
 * <p>Stateless; thread-safe.
 */
final class BulkEncoder {

    private static final String ACTION = "{\"create\":{}}\n";

    private BulkEncoder() {
    }

    static byte[] encode(List<GeneratedEntry> batch) {
        StringBuilder out = new StringBuilder(batch.size() * 300);
        for (GeneratedEntry e : batch) {
            out.append(ACTION).append("{\"@timestamp\":\"");
            e.appendTimestamp(out).append("\",\"host\":{\"name\":");
            Json.appendString(out, e.source());
            out.append("},\"system\":");
            Json.appendString(out, e.system());
            out.append(",\"level\":");
            Json.appendString(out, e.level());
            if (e.component() != null) {
                out.append(",\"component\":");
                Json.appendString(out, e.component());
            }
            out.append(",\"message\":");
            Json.appendString(out, e.message());
            out.append("}\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
