package io.timberdb.bench.protocol;

import io.timberdb.bench.data.GeneratedEntry;
import io.timberdb.bench.data.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP/HTTP logs bodies, as an OpenTelemetry SDK exporter sends them: one {@code ResourceLogs}
 * per source (resource attributes {@code host.name}, the source, which the server keeps as a tag
 * too, and {@code system}), holding one {@code ScopeLogs} without a scope (a scope name would
 * add a tag) with the source's records in batch order. A record has {@code time_unix_nano},
 * {@code severity_number} and {@code severity_text} (the level: the server stores the text
 * lower-cased as tag {@code level}), a string {@code body} (the message) and, when the sample
 * names one, the attribute {@code component}.
 *
 * <pre>
 * ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
 * ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }
 * Resource     { repeated KeyValue attributes = 1; }
 * ScopeLogs    { repeated LogRecord log_records = 2; }
 * LogRecord    { fixed64 time_unix_nano = 1; SeverityNumber severity_number = 2;
 *                string severity_text = 3; AnyValue body = 5; repeated KeyValue attributes = 6; }
 * KeyValue     { string key = 1; AnyValue value = 2; }
 * AnyValue     { string string_value = 1; }
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
final class OtlpEncoder {

    /** The resource attribute the server takes the source from (before {@code service.name}, which is unset). */
    static final String SOURCE_ATTRIBUTE = "host.name";

    private OtlpEncoder() {
    }

    static byte[] protobuf(List<GeneratedEntry> batch) {
        ProtoWriter request = new ProtoWriter();
        for (List<GeneratedEntry> records : resources(batch).values()) {
            ProtoWriter resource = new ProtoWriter();
            resourceAttributes(records.get(0)).forEach((k, v) -> resource.message(1, keyValue(k, v)));
            ProtoWriter scopeLogs = new ProtoWriter();
            for (GeneratedEntry e : records) {
                ProtoWriter record = new ProtoWriter().fixed64(1, e.epochNanos())
                        .int32(2, severityNumber(e.level())).string(3, e.level())
                        .message(5, new ProtoWriter().string(1, e.message()));
                if (e.component() != null) {
                    record.message(6, keyValue("component", e.component()));
                }
                scopeLogs.message(2, record);
            }
            request.message(1, new ProtoWriter().message(1, resource).message(2, scopeLogs));
        }
        return request.toByteArray();
    }

    static byte[] json(List<GeneratedEntry> batch) {
        StringBuilder out = new StringBuilder(batch.size() * 300).append("{\"resourceLogs\":[");
        boolean firstResource = true;
        for (List<GeneratedEntry> records : resources(batch).values()) {
            out.append(firstResource ? "" : ",").append("{\"resource\":{\"attributes\":[");
            firstResource = false;
            boolean firstAttribute = true;
            for (Map.Entry<String, String> a : resourceAttributes(records.get(0)).entrySet()) {
                out.append(firstAttribute ? "" : ",");
                firstAttribute = false;
                appendKeyValue(out, a.getKey(), a.getValue());
            }
            out.append("]},\"scopeLogs\":[{\"logRecords\":[");
            for (int i = 0; i < records.size(); i++) {
                GeneratedEntry e = records.get(i);
                out.append(i == 0 ? "" : ",").append("{\"timeUnixNano\":\"").append(e.epochNanos())
                        .append("\",\"severityNumber\":").append(severityNumber(e.level())).append(",\"severityText\":");
                Json.appendString(out, e.level());
                out.append(",\"body\":{\"stringValue\":");
                Json.appendString(out, e.message());
                out.append('}');
                if (e.component() != null) {
                    out.append(",\"attributes\":[");
                    appendKeyValue(out, "component", e.component());
                    out.append(']');
                }
                out.append('}');
            }
            out.append("]}]}");
        }
        return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The OTLP severity number of a generated level (the first of its range; notice is INFO2). */
    static int severityNumber(String level) {
        return switch (level) {
            case "trace" -> 1;
            case "debug" -> 5;
            case "notice" -> 10;
            case "warn" -> 13;
            case "error" -> 17;
            case "fatal" -> 21;
            default -> 9;
        };
    }

    private static Map<String, String> resourceAttributes(GeneratedEntry e) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(SOURCE_ATTRIBUTE, e.source());
        attributes.put("system", e.system());
        return attributes;
    }

    /** The batch's entries by resource (source and system), in the order first seen. */
    private static Map<List<String>, List<GeneratedEntry>> resources(List<GeneratedEntry> batch) {
        Map<List<String>, List<GeneratedEntry>> resources = new LinkedHashMap<>();
        for (GeneratedEntry e : batch) {
            resources.computeIfAbsent(List.of(e.source(), e.system()), k -> new ArrayList<>()).add(e);
        }
        return resources;
    }

    private static ProtoWriter keyValue(String key, String value) {
        return new ProtoWriter().string(1, key).message(2, new ProtoWriter().string(1, value));
    }

    private static void appendKeyValue(StringBuilder out, String key, String value) {
        out.append("{\"key\":");
        Json.appendString(out, key);
        out.append(",\"value\":{\"stringValue\":");
        Json.appendString(out, value);
        out.append("}}");
    }
}
