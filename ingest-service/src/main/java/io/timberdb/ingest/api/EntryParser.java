package io.timberdb.ingest.api;

import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads the bodies of the native write API: one JSON object, a JSON array of objects, or NDJSON
 * (one object per line; blank lines are skipped). Errors name the entry at fault by its index,
 * e.g. {@code [2].message}.
 *
 * <p>It reads the body's bytes with Jackson's streaming parser straight into entries, with no
 * intermediate tree, string copy of the body or line split: on the ingest path this is a good part
 * of the CPU spent per entry. What it accepts is what binding to {@link LogEntryInput} would
 * accept: {@code timestamp}, {@code source} and {@code message} are scalars (numbers and booleans
 * are taken as their text), {@code tags} is an object of scalars, other fields are ignored.
 *
 * <p>Thread-safe: immutable; ObjectMapper is thread-safe.
 */
final class EntryParser {

    /** Parsed entries with the JSON path of each, for error messages. */
    record Parsed(List<LogEntryInput> entries, List<String> paths) {
    }

    private final ObjectMapper json;

    EntryParser(ObjectMapper json) {
        this.json = json;
    }

    /** A single object, or an array of objects. */
    Parsed parseJson(byte[] body) {
        Parsed parsed = new Parsed(new ArrayList<>(), new ArrayList<>());
        try (JsonParser in = json.createParser(body)) {
            JsonToken root = in.nextToken();
            if (root == null) {
                throw new TimberException(ErrorCode.MALFORMED_JSON, "the body is empty");
            }
            if (root == JsonToken.START_ARRAY) {
                for (JsonToken t = in.nextToken(); t != JsonToken.END_ARRAY; t = in.nextToken()) {
                    entry(in, parsed, "[" + parsed.entries().size() + "]");
                }
            } else {
                entry(in, parsed, "");
            }
            if (in.nextToken() != null) {
                throw new TimberException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: "
                        + "unexpected content after the " + (root == JsonToken.START_ARRAY ? "array" : "entry"));
            }
        } catch (JacksonException e) {
            throw malformed(e, false);
        }
        return parsed;
    }

    /** Objects separated by newlines. */
    Parsed parseNdjson(byte[] body) {
        Parsed parsed = new Parsed(new ArrayList<>(), new ArrayList<>());
        try (JsonParser in = json.createParser(body)) {
            while (in.nextToken() != null) {
                entry(in, parsed, "[" + parsed.entries().size() + "]");
            }
        } catch (JacksonException e) {
            throw malformed(e, true);
        }
        return parsed;
    }

    private static TimberException malformed(JacksonException e, boolean lines) {
        String where = lines && e.getLocation() != null && e.getLocation().getLineNr() > 0
                ? " at line " + e.getLocation().getLineNr() : "";
        return new TimberException(ErrorCode.MALFORMED_JSON,
                "the body is not valid JSON" + where + ": " + e.getOriginalMessage());
    }

    /** Reads the entry whose first token is current; leaves the parser on its last token. */
    private static void entry(JsonParser in, Parsed parsed, String path) {
        if (in.currentToken() != JsonToken.START_OBJECT) {
            throw new TimberException(ErrorCode.INVALID_FIELD,
                    "each entry must be a JSON object {timestamp?, source, tags?, message}", path.isEmpty() ? "$" : path);
        }
        String timestamp = null;
        String source = null;
        String message = null;
        Map<String, String> tags = null;
        for (String name = in.nextName(); name != null; name = in.nextName()) {
            JsonToken value = in.nextToken();
            switch (name) {
                case "timestamp" -> timestamp = scalar(in, value, path, name);
                case "source" -> source = scalar(in, value, path, name);
                case "message" -> message = scalar(in, value, path, name);
                case "tags" -> tags = tags(in, value, path);
                default -> in.skipChildren();
            }
        }
        parsed.entries().add(new LogEntryInput(timestamp, source, tags, message));
        parsed.paths().add(path);
    }

    private static Map<String, String> tags(JsonParser in, JsonToken value, String path) {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_OBJECT) {
            throw wrongType(path, "tags", "an object of key/value strings");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String key = in.nextName(); key != null; key = in.nextName()) {
            tags.put(key, scalar(in, in.nextToken(), path, "tags"));
        }
        return tags;
    }

    /** A scalar's text (numbers and booleans as written), or null for JSON null. */
    private static String scalar(JsonParser in, JsonToken value, String path, String field) {
        return switch (value) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> in.getString();
            case VALUE_NULL -> null;
            default -> throw wrongType(path, field, "a string");
        };
    }

    private static TimberException wrongType(String path, String field, String expected) {
        String at = path.isEmpty() ? field : path + "." + field;
        return new TimberException(ErrorCode.INVALID_FIELD, "'" + at + "' has the wrong type: must be " + expected, at);
    }
}
