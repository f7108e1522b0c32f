package io.timberdb.ingest.otlp;

import com.google.protobuf.CodedInputStream;
import io.timberdb.ingest.push.FieldPath;
import io.timberdb.ingest.push.ProtobufReader;
import io.timberdb.model.error.TimberException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/**
 * Decodes an OTLP/HTTP protobuf body, an {@code ExportLogsServiceRequest} (opentelemetry-proto
 * {@code collector/logs/v1}, {@code logs/v1}, {@code common/v1}, {@code resource/v1}), by hand with
 * {@link CodedInputStream}: no {@code .proto} file, no generated code. The fields read:
 *
 * <pre>
 * ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
 * ResourceLogs         { Resource resource = 1; repeated ScopeLogs scope_logs = 2;
 *                        string schema_url = 3; }                        // schema_url skipped
 * Resource             { repeated KeyValue attributes = 1; }
 * ScopeLogs            { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; }
 * InstrumentationScope { string name = 1; string version = 2;
 *                        repeated KeyValue attributes = 3; }             // attributes skipped
 * LogRecord            { fixed64 time_unix_nano = 1; SeverityNumber severity_number = 2;
 *                        string severity_text = 3; AnyValue body = 5;
 *                        repeated KeyValue attributes = 6;
 *                        uint32 dropped_attributes_count = 7;           // skipped
 *                        fixed32 flags = 8;                             // skipped
 *                        bytes trace_id = 9;                            // 16 bytes or empty
 *                        bytes span_id = 10;                            // 8 bytes or empty
 *                        fixed64 observed_time_unix_nano = 11; }
 * KeyValue             { string key = 1; AnyValue value = 2; }
 * AnyValue             { oneof value { string string_value = 1; bool bool_value = 2;
 *                        int64 int_value = 3; double double_value = 4;
 *                        ArrayValue array_value = 5; KeyValueList kvlist_value = 6;
 *                        bytes bytes_value = 7; } }
 * ArrayValue           { repeated AnyValue values = 1; }
 * KeyValueList         { repeated KeyValue values = 1; }
 * </pre>
 *
 * <p>Other fields are skipped, as protobuf readers do. A known field with the wrong wire type, a
 * truncated message, a string that is not UTF-8 or a malformed varint is {@code MALFORMED_PROTOBUF}
 * naming the innermost field being read, e.g. {@code resourceLogs[0].scopeLogs[1].logRecords[3].body};
 * a blank attribute key, a trace or span id of the wrong length, or values nested deeper than
 * {@link AnyValues#MAX_DEPTH} are {@code INVALID_FIELD}.
 *
 * <p>Thread-safe: immutable; each call decodes with state of its own.
 */
final class ProtobufLogsDecoder {

    private static final int REQUEST_RESOURCE_LOGS = 1;
    private static final int RESOURCE_LOGS_RESOURCE = 1;
    private static final int RESOURCE_LOGS_SCOPE_LOGS = 2;
    private static final int RESOURCE_ATTRIBUTES = 1;
    private static final int SCOPE_LOGS_SCOPE = 1;
    private static final int SCOPE_LOGS_LOG_RECORDS = 2;
    private static final int SCOPE_NAME = 1;
    private static final int SCOPE_VERSION = 2;
    private static final int RECORD_TIME = 1;
    private static final int RECORD_SEVERITY_NUMBER = 2;
    private static final int RECORD_SEVERITY_TEXT = 3;
    private static final int RECORD_BODY = 5;
    private static final int RECORD_ATTRIBUTES = 6;
    private static final int RECORD_TRACE_ID = 9;
    private static final int RECORD_SPAN_ID = 10;
    private static final int RECORD_OBSERVED_TIME = 11;
    private static final int KEY_VALUE_KEY = 1;
    private static final int KEY_VALUE_VALUE = 2;
    private static final int ANY_STRING = 1;
    private static final int ANY_BOOL = 2;
    private static final int ANY_INT = 3;
    private static final int ANY_DOUBLE = 4;
    private static final int ANY_ARRAY = 5;
    private static final int ANY_KVLIST = 6;
    private static final int ANY_BYTES = 7;
    /** {@code ArrayValue.values} and {@code KeyValueList.values}. */
    private static final int LIST_VALUES = 1;

    private final ObjectMapper json;

    ProtobufLogsDecoder(ObjectMapper json) {
        this.json = json;
    }

    /** The log records of an (uncompressed) {@code ExportLogsServiceRequest}, in the order sent. */
    List<OtlpLog> decode(byte[] message) {
        return ProtobufReader.decode(message, "resourceLogs", in -> new Reader(in).request());
    }

    /** One message's decoding. Not thread-safe: one per call. */
    private final class Reader {

        private final ProtobufReader in;
        private final List<OtlpLog> logs = new ArrayList<>();
        /** The key and value of the {@code KeyValue} {@link #pair} read last. */
        private String pairKey;
        private Object pairValue;

        Reader(ProtobufReader in) {
            this.in = in;
        }

        List<OtlpLog> request() throws IOException {
            int count = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (ProtobufReader.number(tag) == REQUEST_RESOURCE_LOGS) {
                    FieldPath path = FieldPath.element("resourceLogs", count++);
                    int limit = in.enter(tag, path);
                    resourceLogs(path);
                    in.leave(limit);
                } else {
                    in.skip(tag);
                }
            }
            return logs;
        }

        private void resourceLogs(FieldPath path) throws IOException {
            // the resource may follow its scope logs on the wire: collect them, then make the records
            FieldPath resourcePath = path.field("resource");
            OtlpLog.Resource resource = new OtlpLog.Resource(resourcePath.toString(), new LinkedHashMap<>());
            int scopes = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (ProtobufReader.number(tag)) {
                    case RESOURCE_LOGS_RESOURCE -> {
                        int limit = in.enter(tag, resourcePath);
                        attributes(resourcePath, "attributes", RESOURCE_ATTRIBUTES, resource.attributes());
                        in.leave(limit);
                    }
                    case RESOURCE_LOGS_SCOPE_LOGS -> {
                        FieldPath scopePath = path.at("scopeLogs", scopes++);
                        int limit = in.enter(tag, scopePath);
                        scopeLogs(scopePath, resource);
                        in.leave(limit);
                    }
                    default -> in.skip(tag);
                }
            }
        }

        private void scopeLogs(FieldPath path, OtlpLog.Resource resource) throws IOException {
            String[] scope = new String[2];
            int first = logs.size();
            int count = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (ProtobufReader.number(tag)) {
                    case SCOPE_LOGS_SCOPE -> {
                        FieldPath scopePath = path.field("scope");
                        int limit = in.enter(tag, scopePath);
                        scope(scopePath, scope);
                        in.leave(limit);
                    }
                    case SCOPE_LOGS_LOG_RECORDS -> {
                        FieldPath recordPath = path.at("logRecords", count++);
                        int limit = in.enter(tag, recordPath);
                        logs.add(record(recordPath, resource));
                        in.leave(limit);
                    }
                    default -> in.skip(tag);
                }
            }
            if (scope[0] != null || scope[1] != null) { // the scope may follow its records on the wire
                for (int i = first; i < logs.size(); i++) {
                    logs.set(i, logs.get(i).in(resource, scope[0], scope[1]));
                }
            }
        }

        private void scope(FieldPath path, String[] nameAndVersion) throws IOException {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (ProtobufReader.number(tag)) {
                    case SCOPE_NAME -> nameAndVersion[0] = in.string(tag, path.field("name"));
                    case SCOPE_VERSION -> nameAndVersion[1] = in.string(tag, path.field("version"));
                    default -> in.skip(tag);
                }
            }
        }

        private OtlpLog record(FieldPath path, OtlpLog.Resource resource) throws IOException {
            long time = 0;
            long observed = 0;
            int severity = 0;
            String severityText = null;
            Object body = null;
            Map<String, String> attributes = new LinkedHashMap<>();
            int attributeCount = 0;
            String traceId = null;
            String spanId = null;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (ProtobufReader.number(tag)) {
                    case RECORD_TIME -> time = in.fixed64(tag, path.field("timeUnixNano"));
                    case RECORD_OBSERVED_TIME -> observed = in.fixed64(tag, path.field("observedTimeUnixNano"));
                    case RECORD_SEVERITY_NUMBER -> severity = in.int32(tag, path.field("severityNumber"));
                    case RECORD_SEVERITY_TEXT -> severityText = in.string(tag, path.field("severityText"));
                    case RECORD_BODY -> {
                        FieldPath bodyPath = path.field("body");
                        int limit = in.enter(tag, bodyPath);
                        body = anyValue(bodyPath, 1);
                        in.leave(limit);
                    }
                    case RECORD_ATTRIBUTES -> keyValue(tag, path.at("attributes", attributeCount++), attributes);
                    case RECORD_TRACE_ID -> {
                        FieldPath idPath = path.field("traceId");
                        traceId = AnyValues.id(in.bytes(tag, idPath), 16, idPath);
                    }
                    case RECORD_SPAN_ID -> {
                        FieldPath idPath = path.field("spanId");
                        spanId = AnyValues.id(in.bytes(tag, idPath), 8, idPath);
                    }
                    default -> in.skip(tag);
                }
            }
            return new OtlpLog(path.toString(), resource, null, null, time, observed, severity, severityText, body,
                    attributes, traceId, spanId);
        }

        /**
         * The repeated {@code KeyValue} field {@code field} ({@code name}) of the message at
         * {@code path}, flattened into {@code into}.
         */
        private void attributes(FieldPath path, String name, int field, Map<String, String> into) throws IOException {
            int count = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (ProtobufReader.number(tag) == field) {
                    keyValue(tag, path.at(name, count++), into);
                } else {
                    in.skip(tag);
                }
            }
        }

        private void keyValue(int tag, FieldPath path, Map<String, String> into) throws IOException {
            int limit = in.enter(tag, path);
            pair(path, 1);
            in.leave(limit);
            AnyValues.flatten(pairKey, pairValue, into, json);
        }

        /** Reads one {@code KeyValue} into {@link #pairKey} and {@link #pairValue}; a blank key is refused. */
        private void pair(FieldPath path, int depth) throws IOException {
            String key = "";
            Object value = null;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (ProtobufReader.number(tag)) {
                    case KEY_VALUE_KEY -> key = in.string(tag, path.field("key"));
                    case KEY_VALUE_VALUE -> {
                        FieldPath valuePath = path.field("value");
                        int limit = in.enter(tag, valuePath);
                        value = anyValue(valuePath, depth);
                        in.leave(limit);
                    }
                    default -> in.skip(tag);
                }
            }
            if (key.isBlank()) {
                throw TimberException.invalidField(path + ".key", "must not be blank");
            }
            // set last: the value read above may hold pairs of its own
            pairKey = key;
            pairValue = value;
        }

        private Object anyValue(FieldPath path, int depth) throws IOException {
            AnyValues.checkDepth(depth, path);
            Object value = null;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (ProtobufReader.number(tag)) {
                    case ANY_STRING -> value = in.string(tag, path.field("stringValue"));
                    case ANY_BOOL -> value = in.bool(tag, path.field("boolValue"));
                    case ANY_INT -> value = in.int64(tag, path.field("intValue"));
                    case ANY_DOUBLE -> value = AnyValues.number(in.float64(tag, path.field("doubleValue")));
                    case ANY_ARRAY, ANY_KVLIST -> value = list(tag, path, depth);
                    case ANY_BYTES -> value = in.bytes(tag, path.field("bytesValue"));
                    default -> in.skip(tag);
                }
            }
            return value;
        }

        /** An {@code ArrayValue} (a list) or a {@code KeyValueList} (a map). */
        private Object list(int tag, FieldPath path, int depth) throws IOException {
            boolean array = ProtobufReader.number(tag) == ANY_ARRAY;
            FieldPath listPath = path.field(array ? "arrayValue" : "kvlistValue");
            int limit = in.enter(tag, listPath);
            List<Object> values = new ArrayList<>();
            Map<String, Object> members = new LinkedHashMap<>();
            int count = 0;
            for (int t = in.readTag(); t != 0; t = in.readTag()) {
                if (ProtobufReader.number(t) != LIST_VALUES) {
                    in.skip(t);
                    continue;
                }
                FieldPath at = listPath.at("values", count++);
                int inner = in.enter(t, at);
                if (array) {
                    values.add(anyValue(at, depth + 1));
                } else {
                    pair(at, depth + 1);
                    members.put(pairKey, pairValue);
                }
                in.leave(inner);
            }
            in.leave(limit);
            return array ? values : members;
        }
    }
}
