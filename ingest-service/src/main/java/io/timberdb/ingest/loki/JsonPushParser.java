package io.timberdb.ingest.loki;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads the JSON body of a Loki push with Jackson's streaming parser:
 *
 * <pre>
 * {"streams": [{"stream": {"job": "api", "level": "info"},
 *               "values": [["1764153000123456789", "a line"],
 *                          ["1764153000223456789", "another", {"trace_id": "abc"}]]}]}
 * </pre>
 *
 * A value is {@code [timestamp, line]} or {@code [timestamp, line, structured metadata]}; the
 * timestamp is nanoseconds since the epoch as a string (a JSON integer is taken too); labels and
 * metadata values are strings. Other members of the objects are skipped. Errors name the path
 * at fault, e.g. {@code streams[2].values[5][0]}; the parser's limits (nesting depth, number
 * and string lengths) apply, so a deeply nested or huge body is refused as {@code MALFORMED_JSON}.
 *
 * <p>Thread-safe: immutable; ObjectMapper is thread-safe.
 */
final class JsonPushParser {

    private final ObjectMapper json;

    JsonPushParser(ObjectMapper json) {
        this.json = json;
    }

    /** The streams of the body. */
    List<PushedStream> parse(byte[] body) {
        try (JsonParser in = json.createParser(body)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw wrongType("$", "an object {\"streams\": [...]}");
            }
            List<PushedStream> streams = List.of();
            for (String name = in.nextName(); name != null; name = in.nextName()) {
                JsonToken value = in.nextToken();
                if (name.equals("streams")) {
                    streams = streams(in, value);
                } else {
                    in.skipChildren();
                }
            }
            if (in.nextToken() != null) {
                throw new TimberException(ErrorCode.MALFORMED_JSON,
                        "the body is not valid JSON: unexpected content after the push object");
            }
            return streams;
        } catch (JacksonException e) {
            throw new TimberException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: " + e.getOriginalMessage(),
                    null, e);
        }
    }

    private static List<PushedStream> streams(JsonParser in, JsonToken value) {
        if (value == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (value != JsonToken.START_ARRAY) {
            throw wrongType("streams", "an array of streams");
        }
        List<PushedStream> streams = new ArrayList<>();
        for (JsonToken t = in.nextToken(); t != JsonToken.END_ARRAY; t = in.nextToken()) {
            streams.add(stream(in, t, "streams[" + streams.size() + "]"));
        }
        return streams;
    }

    private static PushedStream stream(JsonParser in, JsonToken start, String path) {
        if (start != JsonToken.START_OBJECT) {
            throw wrongType(path, "an object {\"stream\": {...}, \"values\": [...]}");
        }
        Map<String, String> labels = null;
        List<PushedStream.Entry> entries = List.of();
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken value = in.nextToken();
            switch (name) {
                case "stream" -> labels = strings(in, value, path + ".stream", true);
                case "values" -> entries = values(in, value, path + ".values");
                default -> in.skipChildren();
            }
        }
        if (labels == null) {
            throw TimberException.missingField(path + ".stream");
        }
        return new PushedStream(path + ".stream", true, labels, entries);
    }

    private static List<PushedStream.Entry> values(JsonParser in, JsonToken start, String path) {
        if (start != JsonToken.START_ARRAY) {
            throw wrongType(path, "an array of [timestamp, line] or [timestamp, line, {metadata}]");
        }
        List<PushedStream.Entry> entries = new ArrayList<>();
        for (JsonToken t = in.nextToken(); t != JsonToken.END_ARRAY; t = in.nextToken()) {
            entries.add(value(in, t, path + "[" + entries.size() + "]"));
        }
        return entries;
    }

    private static PushedStream.Entry value(JsonParser in, JsonToken start, String path) {
        if (start != JsonToken.START_ARRAY) {
            throw wrongType(path, "an array [timestamp, line] or [timestamp, line, {metadata}]");
        }
        JsonToken t = in.nextToken();
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType(path + "[0]", "nanoseconds since the epoch as a string");
        }
        Instant timestamp = EntryTime.fromNanos(in.getString(), path + "[0]");
        if (in.nextToken() != JsonToken.VALUE_STRING) {
            throw wrongType(path + "[1]", "the log line as a string");
        }
        String line = in.getString();
        Map<String, String> metadata = Map.of();
        t = in.nextToken();
        if (t != JsonToken.END_ARRAY) {
            metadata = strings(in, t, path + "[2]", false);
            if (in.nextToken() != JsonToken.END_ARRAY) {
                throw wrongType(path, "an array of two or three elements");
            }
        }
        return new PushedStream.Entry(path, timestamp, line, metadata);
    }

    /** An object of string values: stream labels (names checked) or structured metadata (names not blank). */
    private static Map<String, String> strings(JsonParser in, JsonToken start, String path, boolean labels) {
        if (start != JsonToken.START_OBJECT) {
            throw wrongType(path, "an object of string values");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            String at = path + "." + name;
            if (labels ? !LabelText.validName(name) : name.isBlank()) {
                throw TimberException.invalidField(at, labels ? "is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)"
                        : "has a blank name");
            }
            if (in.nextToken() != JsonToken.VALUE_STRING) {
                throw wrongType(at, "a string");
            }
            if (values.put(name, in.getString()) != null) {
                throw TimberException.invalidField(at, "is given twice");
            }
        }
        return values;
    }

    private static TimberException wrongType(String at, String expected) {
        return new TimberException(ErrorCode.INVALID_FIELD, "'" + at + "' has the wrong type: must be " + expected, at);
    }
}
