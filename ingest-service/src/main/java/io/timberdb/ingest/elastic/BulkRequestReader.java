package io.timberdb.ingest.elastic;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Splits the body of {@code POST /_bulk} into its items. The body is NDJSON whatever the
 * Content-Type says: an action line ({@code {"index":{"_index":"logs","_id":"1"}}}) followed, for
 * {@code index}, {@code create} and {@code update}, by a source line; {@code delete} has none.
 * Blank lines between items are skipped; the last line need not end with a newline.
 *
 * <p>What fails the whole request (400 problem detail, {@code field} {@code line[n]}, 1-based):
 * an action line that is not a JSON object of one member whose value is an object, or whose
 * action is none of the four; after it the reader cannot tell which line is a source line.
 * Everything else fails only its item: a source line that is not a JSON object, an action
 * without a source line at the end of the body, an item without an index, and {@code delete}
 * and {@code update} (TimberDB stores logs append-only).
 *
 * <p>Thread-safe: immutable; ObjectMapper is thread-safe.
 */
final class BulkRequestReader {

    private final ObjectMapper json;

    BulkRequestReader(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The items of {@code body}, in request order.
     *
     * @param pathIndex the index of {@code POST /{index}/_bulk}, or null for {@code POST /_bulk}
     */
    List<BulkItem> read(byte[] body, String pathIndex) {
        Lines lines = new Lines(body);
        List<BulkItem> items = new ArrayList<>();
        while (lines.nextNonBlank()) {
            int actionLine = lines.number;
            Map.Entry<String, JsonNode> action = action(lines, actionLine);
            JsonNode meta = action.getValue();
            String index = meta.path("_index").isString() ? meta.path("_index").stringValue() : pathIndex;
            String id = meta.path("_id").isValueNode() ? meta.path("_id").asString() : null;
            String op = action.getKey();
            if (op.equals("delete")) {
                items.add(BulkItem.refused(op, index, id, 400, "illegal_argument_exception", appendOnly(op)));
                continue;
            }
            if (!lines.next()) {
                items.add(BulkItem.refused(op, index, id, 400, "action_request_validation_exception",
                        "the " + op + " action on line " + actionLine + " has no source line"));
                continue;
            }
            if (op.equals("update")) {
                items.add(BulkItem.refused(op, index, id, 400, "illegal_argument_exception", appendOnly(op)));
                continue;
            }
            if (index == null) {
                items.add(BulkItem.refused(op, null, id, 400, "action_request_validation_exception",
                        "index is missing: name it in the path (POST /{index}/_bulk) or as the action's _index"));
                continue;
            }
            JsonNode document = source(lines);
            items.add(document != null && document.isObject() ? new BulkItem(op, index, id, document, null)
                    : BulkItem.refused(op, index, id, 400, "document_parsing_exception",
                            "failed to parse: the source line " + lines.number + " is not a JSON object"));
        }
        return items;
    }

    private Map.Entry<String, JsonNode> action(Lines lines, int number) {
        JsonNode action;
        try {
            action = json.readTree(lines.bytes, lines.start, lines.end - lines.start);
        } catch (JacksonException e) {
            throw malformed(number, "it is not valid JSON: " + e.getOriginalMessage());
        }
        if (action == null || !action.isObject() || action.size() != 1) {
            throw malformed(number, "expected a JSON object with one action, e.g. {\"index\":{}}");
        }
        Map.Entry<String, JsonNode> only = action.properties().iterator().next();
        if (!List.of("index", "create", "delete", "update").contains(only.getKey())) {
            throw malformed(number, "expected one of [create, delete, index, update] but found [" + only.getKey() + "]");
        }
        if (!only.getValue().isObject()) {
            throw malformed(number, "the metadata of [" + only.getKey() + "] must be a JSON object");
        }
        return only;
    }

    /** The current line as a JSON value; null when it is blank or not JSON. */
    private JsonNode source(Lines lines) {
        if (lines.blank()) {
            return null;
        }
        try {
            return json.readTree(lines.bytes, lines.start, lines.end - lines.start);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String appendOnly(String op) {
        return "TimberDB stores logs append-only: the " + op + " action is not supported; use index or create";
    }

    private static TimberException malformed(int line, String why) {
        return new TimberException(ErrorCode.MALFORMED_JSON, "Malformed action/metadata line [" + line + "]: " + why,
                "line[" + line + "]");
    }

    /** A cursor over the lines of a body. Not thread-safe: one per request. */
    private static final class Lines {

        final byte[] bytes;
        /** The current line is {@code bytes[start, end)}, without its line end; its 1-based number. */
        int start;
        int end;
        int number;
        private int next;

        Lines(byte[] bytes) {
            this.bytes = bytes;
        }

        /** Moves to the next line; false at the end of the body. */
        boolean next() {
            if (next >= bytes.length) {
                return false;
            }
            start = next;
            end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            next = end + 1;
            if (end > start && bytes[end - 1] == '\r') {
                end--;
            }
            number++;
            return true;
        }

        /** Moves to the next line that is not blank; false if there is none. */
        boolean nextNonBlank() {
            while (next()) {
                if (!blank()) {
                    return true;
                }
            }
            return false;
        }

        boolean blank() {
            for (int i = start; i < end; i++) {
                if (bytes[i] != ' ' && bytes[i] != '\t') {
                    return false;
                }
            }
            return true;
        }
    }
}
