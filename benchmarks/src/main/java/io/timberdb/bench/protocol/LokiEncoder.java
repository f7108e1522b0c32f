package io.timberdb.bench.protocol;

import io.timberdb.bench.data.GeneratedEntry;
import io.timberdb.bench.data.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Loki push bodies, as Promtail and Alloy send them: the entries grouped into streams by their
 * label set, {@code system}, {@code level}, {@code component} (when set) and {@code host} (the
 * source: the server's first default source label, which it also keeps as a tag), streams in the
 * order first seen, entries in batch order within a stream. No structured metadata.
 *
 * <ul>
 *   <li>protobuf: a snappy block of {@code PushRequest { repeated StreamAdapter streams = 1; }},
 *       {@code StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; }},
 *       {@code EntryAdapter { Timestamp timestamp = 1; string line = 2; }},
 *       {@code Timestamp { int64 seconds = 1; int32 nanos = 2; }}, labels as Prometheus text
 *       {@code {system="HDFS", level="info", host="hdfs-node-01"}};</li>
 *   <li>JSON: {@code {"streams":[{"stream":{…},"values":[["<ns since epoch>","<line>"],…]}]}}.</li>
 * </ul>
 *
 * <p>Stateless; thread-safe.
 */
final class LokiEncoder {

    /** The label the server takes the source from ({@code timberdb.ingest.loki.source-labels}' first). */
    static final String SOURCE_LABEL = "host";

    private LokiEncoder() {
    }

    static byte[] protobuf(List<GeneratedEntry> batch) {
        ProtoWriter push = new ProtoWriter();
        for (List<GeneratedEntry> stream : streams(batch).values()) {
            ProtoWriter adapter = new ProtoWriter().string(1, labelText(stream.get(0)));
            for (GeneratedEntry e : stream) {
                ProtoWriter timestamp = new ProtoWriter().int64(1, e.epochSecond()).int32(2, e.nano());
                adapter.message(2, new ProtoWriter().message(1, timestamp).string(2, e.message()));
            }
            push.message(1, adapter);
        }
        try {
            return Snappy.compress(push.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] json(List<GeneratedEntry> batch) {
        StringBuilder out = new StringBuilder(batch.size() * 200).append("{\"streams\":[");
        boolean firstStream = true;
        for (List<GeneratedEntry> stream : streams(batch).values()) {
            out.append(firstStream ? "" : ",").append("{\"stream\":{");
            firstStream = false;
            boolean firstLabel = true;
            for (Map.Entry<String, String> label : labels(stream.get(0)).entrySet()) {
                out.append(firstLabel ? "" : ",");
                firstLabel = false;
                Json.appendString(out, label.getKey());
                out.append(':');
                Json.appendString(out, label.getValue());
            }
            out.append("},\"values\":[");
            for (int i = 0; i < stream.size(); i++) {
                GeneratedEntry e = stream.get(i);
                out.append(i == 0 ? "[\"" : ",[\"").append(e.epochNanos()).append("\",");
                Json.appendString(out, e.message());
                out.append(']');
            }
            out.append("]}");
        }
        return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The entry's stream labels: its tags, then the source. */
    static Map<String, String> labels(GeneratedEntry e) {
        Map<String, String> labels = e.tags();
        labels.put(SOURCE_LABEL, e.source());
        return labels;
    }

    /** The batch's entries by stream (label text), in the order first seen. */
    private static Map<String, List<GeneratedEntry>> streams(List<GeneratedEntry> batch) {
        Map<String, List<GeneratedEntry>> streams = new LinkedHashMap<>();
        for (GeneratedEntry e : batch) {
            streams.computeIfAbsent(labelText(e), k -> new ArrayList<>()).add(e);
        }
        return streams;
    }

    /** The Prometheus label text {@code {name="value", …}}, with {@code \"}, {@code \\} and {@code \n} escaped. */
    static String labelText(GeneratedEntry e) {
        StringBuilder out = new StringBuilder(96).append('{');
        for (Map.Entry<String, String> label : labels(e).entrySet()) {
            out.append(out.length() == 1 ? "" : ", ").append(label.getKey()).append("=\"");
            String value = label.getValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    default -> out.append(c);
                }
            }
            out.append('"');
        }
        return out.append('}').toString();
    }
}
