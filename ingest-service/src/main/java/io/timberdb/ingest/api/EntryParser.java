package io.timberdb.ingest.api;

import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads the bodies of the native write API: one JSON object, a JSON array of objects, or NDJSON
 * (one object per line; blank lines are skipped). Errors name the entry at fault by its index,
 * e.g. {@code [2].message}.
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

    Parsed parseJson(String body) {
        JsonNode root = readTree(body, null);
        if (root == null || root.isMissingNode()) {
            throw new TimberException(ErrorCode.MALFORMED_JSON, "the body is empty");
        }
        Parsed parsed = new Parsed(new ArrayList<>(), new ArrayList<>());
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                add(parsed, root.get(i), "[" + i + "]");
            }
        } else {
            add(parsed, root, "");
        }
        return parsed;
    }

    Parsed parseNdjson(String body) {
        Parsed parsed = new Parsed(new ArrayList<>(), new ArrayList<>());
        String[] lines = body.split("\r?\n");
        for (int line = 0; line < lines.length; line++) {
            if (lines[line].isBlank()) {
                continue;
            }
            String path = "[" + parsed.entries().size() + "]";
            add(parsed, readTree(lines[line], "line " + (line + 1)), path);
        }
        return parsed;
    }

    private JsonNode readTree(String text, String where) {
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            throw new TimberException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON"
                    + (where == null ? "" : " at " + where) + ": " + e.getOriginalMessage());
        }
    }

    private void add(Parsed parsed, JsonNode node, String path) {
        if (!node.isObject()) {
            throw new TimberException(ErrorCode.INVALID_FIELD,
                    "each entry must be a JSON object {timestamp?, source, tags?, message}",
                    path.isEmpty() ? "$" : path);
        }
        try {
            parsed.entries().add(json.treeToValue(node, LogEntryInput.class));
            parsed.paths().add(path);
        } catch (JacksonException e) {
            String field = e.getPath().isEmpty() || e.getPath().get(0).getPropertyName() == null ? null
                    : e.getPath().get(0).getPropertyName();
            String at = field == null ? path : (path.isEmpty() ? field : path + "." + field);
            throw new TimberException(ErrorCode.INVALID_FIELD,
                    "'" + at + "' has the wrong type: " + e.getOriginalMessage(), at.isEmpty() ? null : at);
        }
    }
}
