package io.timberdb.ingest.otlp;

import io.timberdb.ingest.push.FieldPath;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads an OTLP/JSON {@code ExportLogsServiceRequest} with Jackson's streaming parser: the
 * protobuf messages of {@link ProtobufLogsDecoder} with lowerCamelCase member names
 * ({@code resourceLogs}, {@code scopeLogs}, {@code logRecords}, {@code timeUnixNano},
 * {@code stringValue}, ...; the snake_case names are taken too), 64-bit integers as decimal
 * strings or numbers, {@code traceId}/{@code spanId} as hex strings, {@code bytesValue} in base64,
 * {@code severityNumber} as an integer. Unknown members are skipped; {@code null} is an unset field.
 * Errors name the path at fault, e.g. {@code resourceLogs[0].scopeLogs[1].logRecords[3].timeUnixNano}.
 *
 * <p>Thread-safe: immutable; ObjectMapper is thread-safe.
 */
final class JsonLogsParser {

    private final ObjectMapper json;

    JsonLogsParser(ObjectMapper json) {
        this.json = json;
    }

    /** The log records of the body, in the order sent. */
    List<OtlpLog> parse(byte[] body) {
        try (JsonParser in = json.createParser(body)) {
            List<OtlpLog> logs = new ArrayList<>();
            object(in, in.nextToken(), "$");
            for (String name = in.nextName(); name != null; name = in.nextName()) {
                JsonToken t = in.nextToken();
                if (isAny(name, "resourceLogs", "resource_logs") && t != JsonToken.VALUE_NULL) {
                    array(in, t, "resourceLogs");
                    for (int i = 0; (t = in.nextToken()) != JsonToken.END_ARRAY; i++) {
                        resourceLogs(in, t, FieldPath.element("resourceLogs", i), logs);
                    }
                } else {
                    in.skipChildren();
                }
            }
            if (in.nextToken() != null) {
                throw new TimberException(ErrorCode.MALFORMED_JSON,
                        "the body is not valid JSON: unexpected content after the request object");
            }
            return logs;
        } catch (JacksonException e) {
            throw new TimberException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: " + e.getOriginalMessage(),
                    null, e);
        }
    }

    private void resourceLogs(JsonParser in, JsonToken start, FieldPath path, List<OtlpLog> logs) {
        object(in, start, path);
        FieldPath resourcePath = path.field("resource");
        OtlpLog.Resource resource = new OtlpLog.Resource(resourcePath.toString(), new LinkedHashMap<>());
        int first = logs.size();
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken t = in.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            if (name.equals("resource")) {
                object(in, t, resourcePath);
                for (String member = in.nextName(); member != null; member = in.nextName()) {
                    JsonToken v = in.nextToken();
                    if (member.equals("attributes") && v != JsonToken.VALUE_NULL) {
                        attributes(in, v, resourcePath, "attributes", resource.attributes());
                    } else {
                        in.skipChildren();
                    }
                }
            } else if (isAny(name, "scopeLogs", "scope_logs")) {
                array(in, t, path.field("scopeLogs"));
                for (int i = 0; (t = in.nextToken()) != JsonToken.END_ARRAY; i++) {
                    scopeLogs(in, t, path.at("scopeLogs", i), logs);
                }
            } else {
                in.skipChildren();
            }
        }
        // the resource may follow its scope logs in the object: attach it to their records now
        for (int i = first; i < logs.size(); i++) {
            logs.set(i, logs.get(i).in(resource, logs.get(i).scopeName(), logs.get(i).scopeVersion()));
        }
    }

    private void scopeLogs(JsonParser in, JsonToken start, FieldPath path, List<OtlpLog> logs) {
        object(in, start, path);
        String scopeName = null;
        String scopeVersion = null;
        int first = logs.size();
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken t = in.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            if (name.equals("scope")) {
                object(in, t, path.field("scope"));
                for (String member = in.nextName(); member != null; member = in.nextName()) {
                    JsonToken v = in.nextToken();
                    switch (member) {
                        case "name" -> scopeName = string(in, v, path.field("scope").field("name"));
                        case "version" -> scopeVersion = string(in, v, path.field("scope").field("version"));
                        default -> in.skipChildren();
                    }
                }
            } else if (isAny(name, "logRecords", "log_records")) {
                array(in, t, path.field("logRecords"));
                for (int i = 0; (t = in.nextToken()) != JsonToken.END_ARRAY; i++) {
                    logs.add(record(in, t, path.at("logRecords", i)));
                }
            } else {
                in.skipChildren();
            }
        }
        for (int i = first; i < logs.size(); i++) {
            logs.set(i, logs.get(i).in(null, scopeName, scopeVersion));
        }
    }

    private OtlpLog record(JsonParser in, JsonToken start, FieldPath path) {
        object(in, start, path);
        long time = 0;
        long observed = 0;
        int severity = 0;
        String severityText = null;
        Object body = null;
        Map<String, String> attributes = new LinkedHashMap<>();
        String traceId = null;
        String spanId = null;
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken t = in.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (name) {
                case "timeUnixNano", "time_unix_nano" -> time = uint64(in, t, path.field("timeUnixNano"));
                case "observedTimeUnixNano", "observed_time_unix_nano" ->
                        observed = uint64(in, t, path.field("observedTimeUnixNano"));
                case "severityNumber", "severity_number" -> {
                    if (t != JsonToken.VALUE_NUMBER_INT || in.getNumberType() != JsonParser.NumberType.INT) {
                        throw wrongType(path.field("severityNumber"), "an integer");
                    }
                    severity = in.getIntValue();
                }
                case "severityText", "severity_text" -> severityText = string(in, t, path.field("severityText"));
                case "body" -> body = anyValue(in, t, path.field("body"), 1);
                case "attributes" -> attributes(in, t, path, "attributes", attributes);
                case "traceId", "trace_id" -> {
                    FieldPath idPath = path.field("traceId");
                    traceId = AnyValues.id(string(in, t, idPath), 16, idPath);
                }
                case "spanId", "span_id" -> {
                    FieldPath idPath = path.field("spanId");
                    spanId = AnyValues.id(string(in, t, idPath), 8, idPath);
                }
                default -> in.skipChildren();
            }
        }
        return new OtlpLog(path.toString(), null, null, null, time, observed, severity, severityText, body, attributes,
                traceId, spanId);
    }

    /** The array of {@code KeyValue}s of member {@code name} of the object at {@code path}, flattened into {@code into}. */
    private void attributes(JsonParser in, JsonToken start, FieldPath path, String name, Map<String, String> into) {
        array(in, start, path.field(name));
        Map<String, Object> pair = new LinkedHashMap<>(2);
        for (int i = 0; (start = in.nextToken()) != JsonToken.END_ARRAY; i++) {
            pair.clear();
            pair(in, start, path.at(name, i), pair, 1);
            for (Map.Entry<String, Object> member : pair.entrySet()) { // the one member
                AnyValues.flatten(member.getKey(), member.getValue(), into, json);
            }
        }
    }

    private void pair(JsonParser in, JsonToken start, FieldPath path, Map<String, Object> into, int depth) {
        object(in, start, path);
        String key = "";
        Object value = null;
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken t = in.nextToken();
            switch (name) {
                case "key" -> key = t == JsonToken.VALUE_NULL ? "" : string(in, t, path.field("key"));
                case "value" -> value = anyValue(in, t, path.field("value"), depth);
                default -> in.skipChildren();
            }
        }
        if (key.isBlank()) {
            throw TimberException.invalidField(path.field("key").toString(), "must not be blank");
        }
        into.put(key, value);
    }

    private Object anyValue(JsonParser in, JsonToken start, FieldPath path, int depth) {
        if (start == JsonToken.VALUE_NULL) {
            return null;
        }
        AnyValues.checkDepth(depth, path);
        object(in, start, path);
        Object value = null;
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken t = in.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            FieldPath at = path.field(name);
            switch (name) {
                case "stringValue", "string_value" -> value = string(in, t, at);
                case "boolValue", "bool_value" -> {
                    if (!t.isBoolean()) {
                        throw wrongType(at, "true or false");
                    }
                    value = in.getBooleanValue();
                }
                case "intValue", "int_value" -> value = int64(in, t, at);
                case "doubleValue", "double_value" -> value = float64(in, t, at);
                case "bytesValue", "bytes_value" -> value = base64(string(in, t, at), at);
                case "arrayValue", "array_value" -> value = values(in, t, at, depth, true);
                case "kvlistValue", "kvlist_value" -> value = values(in, t, at, depth, false);
                default -> in.skipChildren();
            }
        }
        return value;
    }

    /** {@code {"values": [...]}}: an {@code ArrayValue} (a list) or a {@code KeyValueList} (a map). */
    private Object values(JsonParser in, JsonToken start, FieldPath path, int depth, boolean array) {
        object(in, start, path);
        List<Object> values = new ArrayList<>();
        Map<String, Object> members = new LinkedHashMap<>();
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken t = in.nextToken();
            if (!name.equals("values") || t == JsonToken.VALUE_NULL) {
                in.skipChildren();
                continue;
            }
            array(in, t, path.field("values"));
            for (int i = 0; (t = in.nextToken()) != JsonToken.END_ARRAY; i++) {
                FieldPath at = path.at("values", i);
                if (array) {
                    values.add(anyValue(in, t, at, depth + 1));
                } else {
                    pair(in, t, at, members, depth + 1);
                }
            }
        }
        return array ? values : members;
    }

    private static boolean isAny(String name, String camel, String snake) {
        return name.equals(camel) || name.equals(snake);
    }

    /** An unsigned 64-bit count of nanoseconds, as a decimal string or a JSON integer, held in a long. */
    private static long uint64(JsonParser in, JsonToken t, Object path) {
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType(path, "nanoseconds since the epoch as a string of digits");
        }
        String digits = in.getString();
        if (digits.isEmpty() || digits.length() > 20 || !allDigits(digits)) {
            throw TimberException.invalidField(path.toString(), "must be an unsigned 64-bit integer");
        }
        try {
            return Long.parseUnsignedLong(digits);
        } catch (NumberFormatException e) {
            throw TimberException.invalidField(path.toString(), "must be an unsigned 64-bit integer");
        }
    }

    private static boolean allDigits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long int64(JsonParser in, JsonToken t, Object path) {
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType(path, "a 64-bit integer as a string or number");
        }
        try {
            return Long.parseLong(in.getString().trim());
        } catch (NumberFormatException e) {
            throw TimberException.invalidField(path.toString(), "must be a 64-bit integer");
        }
    }

    private static Object float64(JsonParser in, JsonToken t, Object path) {
        if (t.isNumeric()) {
            return AnyValues.number(in.getDoubleValue());
        }
        if (t == JsonToken.VALUE_STRING) {
            switch (in.getString()) {
                case "NaN", "Infinity", "-Infinity" -> {
                    return in.getString();
                }
                default -> {
                    // proto3 JSON also takes a number in a string
                }
            }
            try {
                return AnyValues.number(Double.parseDouble(in.getString()));
            } catch (NumberFormatException e) {
                throw TimberException.invalidField(path.toString(), "must be a number");
            }
        }
        throw wrongType(path, "a number");
    }

    private static byte[] base64(String text, Object path) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(text);
            } catch (IllegalArgumentException again) {
                throw TimberException.invalidField(path.toString(), "is not base64");
            }
        }
    }

    private static String string(JsonParser in, JsonToken t, Object path) {
        if (t != JsonToken.VALUE_STRING) {
            throw wrongType(path, "a string");
        }
        return in.getString();
    }

    private static void object(JsonParser in, JsonToken t, Object path) {
        if (t != JsonToken.START_OBJECT) {
            throw wrongType(path, "an object");
        }
    }

    private static void array(JsonParser in, JsonToken t, Object path) {
        if (t != JsonToken.START_ARRAY) {
            throw wrongType(path, "an array");
        }
    }

    /** {@code at}: the path, or a {@link FieldPath} of it. */
    private static TimberException wrongType(Object at, String expected) {
        String where = at.toString();
        return new TimberException(ErrorCode.INVALID_FIELD, "'" + where + "' has the wrong type: must be " + expected, where);
    }
}
