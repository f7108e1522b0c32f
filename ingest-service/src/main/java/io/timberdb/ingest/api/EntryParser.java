package io.timberdb.ingest.api;

import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
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
 * of the CPU spent per entry. Values that repeat from entry to entry (sources, tag values, tag
 * sets) are made once per request ({@link RepeatedValues}).
 *
 * <p>What it accepts is what binding to {@link LogEntryInput} would accept: {@code timestamp},
 * {@code source} and {@code message} are scalars (numbers and booleans are taken as their text),
 * {@code tags} is an object of scalars, other fields are ignored.
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
    Parsed parseJson(InputStream body) {
        Reader reader = new Reader();
        try (JsonParser in = json.createParser(body)) {
            JsonToken root = in.nextToken();
            if (root == null) {
                throw new TimberException(ErrorCode.MALFORMED_JSON, "the body is empty");
            }
            if (root == JsonToken.START_ARRAY) {
                for (JsonToken t = in.nextToken(); t != JsonToken.END_ARRAY; t = in.nextToken()) {
                    reader.entry(in, reader.entries.size());
                }
            } else {
                reader.entry(in, SINGLE);
            }
            if (in.nextToken() != null) {
                throw new TimberException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: "
                        + "unexpected content after the " + (root == JsonToken.START_ARRAY ? "array" : "entry"));
            }
            return new Parsed(reader.entries, root == JsonToken.START_ARRAY ? EntryPaths.indexes(reader.entries.size())
                    : List.of(""));
        } catch (JacksonException e) {
            throw malformed(e, false);
        }
    }

    /** Objects separated by newlines. */
    Parsed parseNdjson(InputStream body) {
        Reader reader = new Reader();
        try (JsonParser in = json.createParser(body)) {
            while (in.nextToken() != null) {
                reader.entry(in, reader.entries.size());
            }
        } catch (JacksonException e) {
            throw malformed(e, true);
        }
        return new Parsed(reader.entries, EntryPaths.indexes(reader.entries.size()));
    }

    private static TimberException malformed(JacksonException e, boolean lines) {
        String where = lines && e.getLocation() != null && e.getLocation().getLineNr() > 0
                ? " at line " + e.getLocation().getLineNr() : "";
        return new TimberException(ErrorCode.MALFORMED_JSON,
                "the body is not valid JSON" + where + ": " + e.getOriginalMessage());
    }

    /** The index of a body that is a single entry rather than an array or lines. */
    private static final int SINGLE = -1;

    /** The entries of one body, with its repeated values. Not thread-safe: one per request. */
    private static final class Reader {

        final List<LogEntryInput> entries = new ArrayList<>();
        final RepeatedValues repeated = new RepeatedValues();
        /** Tag keys and values of the entry being read, in pairs; reused from entry to entry. */
        String[] pairs = new String[16];

        /** Reads the entry whose first token is current; leaves the parser on its last token. */
        void entry(JsonParser in, int index) {
            if (in.currentToken() != JsonToken.START_OBJECT) {
                throw new TimberException(ErrorCode.INVALID_FIELD,
                        "each entry must be a JSON object {timestamp?, source, tags?, message}",
                        index == SINGLE ? "$" : path(index));
            }
            String timestamp = null;
            String source = null;
            String message = null;
            Map<String, String> tags = null;
            for (String name = in.nextName(); name != null; name = in.nextName()) {
                JsonToken value = in.nextToken();
                switch (name) {
                    case "timestamp" -> timestamp = scalar(in, value, index, name) ? in.getString() : null;
                    case "source" -> source = repeated(in, value, index, name);
                    case "message" -> message = scalar(in, value, index, name) ? in.getString() : null;
                    case "tags" -> tags = tags(in, value, index);
                    default -> in.skipChildren();
                }
            }
            entries.add(new LogEntryInput(timestamp, source, tags, message));
        }

        private Map<String, String> tags(JsonParser in, JsonToken value, int index) {
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            if (value != JsonToken.START_OBJECT) {
                throw wrongType(index, "tags", "an object of key/value strings");
            }
            int count = 0;
            for (String key = in.nextName(); key != null; key = in.nextName()) {
                if (2 * count == pairs.length) {
                    pairs = Arrays.copyOf(pairs, 2 * pairs.length);
                }
                pairs[2 * count] = key; // field names come canonical from the parser's symbol table
                pairs[2 * count + 1] = repeated(in, in.nextToken(), index, "tags");
                count++;
            }
            return repeated.tags(pairs, count);
        }

        /** A scalar's text as {@link #scalar} takes it, as a canonical instance. */
        private String repeated(JsonParser in, JsonToken value, int index, String field) {
            return scalar(in, value, index, field)
                    ? repeated.string(in.getStringCharacters(), in.getStringOffset(), in.getStringLength()) : null;
        }
    }

    /**
     * Whether the current value has a text (strings; numbers and booleans as written); false for
     * JSON null.
     */
    private static boolean scalar(JsonParser in, JsonToken value, int index, String field) {
        return switch (value) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> true;
            case VALUE_NULL -> false;
            default -> throw wrongType(index, field, "a string");
        };
    }

    private static String path(int index) {
        return index == SINGLE ? "" : "[" + index + "]";
    }

    private static TimberException wrongType(int index, String field, String expected) {
        String at = index == SINGLE ? field : path(index) + "." + field;
        return new TimberException(ErrorCode.INVALID_FIELD, "'" + at + "' has the wrong type: must be " + expected, at);
    }
}
