package io.timberdb.ingest.elastic;

import io.timberdb.ingest.api.RepeatedValues;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;

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

    private static final Set<String> OPERATIONS = Set.of("index", "create", "delete", "update");
    /** The action lines of a client that names the index in the path only, matched byte for byte. */
    private static final List<PlainAction> PLAIN_ACTIONS = List.of(new PlainAction("create"), new PlainAction("index"));

    private final ObjectMapper json;
    /** Refuses a repeated key, so that a document read token by token is what its tree would be. */
    private final ObjectReader strict;
    private final Set<String> uniqueFields;

    /** A reader that takes every string as a canonical instance. */
    BulkRequestReader(ObjectMapper json) {
        this(json, Set.of());
    }

    /** @param uniqueFields the fields whose strings are taken as they are, see {@link DocumentFields#read} */
    BulkRequestReader(ObjectMapper json, Set<String> uniqueFields) {
        this.json = json;
        this.strict = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        this.uniqueFields = uniqueFields;
    }

    /**
     * The items of {@code body}, in request order.
     *
     * @param pathIndex the index of {@code POST /{index}/_bulk}, or null for {@code POST /_bulk}
     */
    List<BulkItem> read(byte[] body, String pathIndex) {
        Lines lines = new Lines(body);
        RepeatedValues repeated = new RepeatedValues();
        List<BulkItem> items = new ArrayList<>();
        try (WholeBody whole = new WholeBody(strict.createParser(body, 0, body.length))) {
            while (lines.nextNonBlank()) {
                int actionLine = lines.number;
                Action action = action(lines, actionLine, whole);
                String index = action.index() != null ? action.index() : pathIndex;
                String id = action.id();
                String op = action.op();
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
                    whole.drop(); // its source line is not read
                    items.add(BulkItem.refused(op, index, id, 400, "illegal_argument_exception", appendOnly(op)));
                    continue;
                }
                if (index == null) {
                    whole.drop();
                    items.add(BulkItem.refused(op, null, id, 400, "action_request_validation_exception",
                            "index is missing: name it in the path (POST /{index}/_bulk) or as the action's _index"));
                    continue;
                }
                DocumentFields document = source(lines, repeated, whole);
                items.add(document != null ? new BulkItem(op, index, id, document, null)
                        : BulkItem.refused(op, index, id, 400, "document_parsing_exception",
                                "failed to parse: the source line " + lines.number + " is not a JSON object"));
            }
        }
        return items;
    }

    /**
     * The action line's operation, its metadata's {@code _index} when that is a string, and its
     * {@code _id} when that is a scalar, as text.
     */
    private record Action(String op, String index, String id) {
    }

    /** An action line that names nothing but its operation, {@code {"<op>":{}}}, and its action. */
    private record PlainAction(byte[] line, Action action) {

        PlainAction(String op) {
            this(("{\"" + op + "\":{}}").getBytes(StandardCharsets.US_ASCII), new Action(op, null, null));
        }
    }

    private Action action(Lines lines, int number, WholeBody whole) {
        for (PlainAction plain : PLAIN_ACTIONS) {
            if (lines.is(plain.line())) {
                whole.skipValue(lines);
                return plain.action();
            }
        }
        JsonParser parser = whole.enter(lines);
        if (parser != null) {
            Action common = commonAction(parser);
            if (common != null && whole.leave(lines)) {
                return common;
            }
            whole.drop();
        }
        try (JsonParser line = strict.createParser(lines.bytes, lines.start, lines.end - lines.start)) {
            if (line.nextToken() == JsonToken.START_OBJECT) {
                Action common = commonAction(line);
                if (common != null && line.nextToken() == null) {
                    return common;
                }
            }
        } catch (JacksonException e) {
            // read as its tree says
        }
        return treeAction(lines, number);
    }

    /**
     * The action of a line of the form nearly every shipper sends, {@code {"<op>":{…}}} with
     * {@code _index} and {@code _id}, when set, as strings, read token by token from its
     * {@code START_OBJECT}, which {@code parser} is on, to its {@code END_OBJECT}; null for any
     * other line (a wrong one included), which {@link #treeAction} reads or refuses.
     */
    private static Action commonAction(JsonParser parser) {
        try {
            if (parser.nextToken() != JsonToken.PROPERTY_NAME) {
                return null;
            }
            String op = parser.currentName();
            if (!OPERATIONS.contains(op) || parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String index = null;
            String id = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                boolean isIndex = name.equals("_index");
                if (isIndex || name.equals("_id")) {
                    if (value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    if (isIndex) {
                        index = parser.getString();
                    } else {
                        id = parser.getString();
                    }
                } else {
                    parser.skipChildren();
                }
            }
            return parser.nextToken() == JsonToken.END_OBJECT ? new Action(op, index, id) : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private Action treeAction(Lines lines, int number) {
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
        if (!OPERATIONS.contains(only.getKey())) {
            throw malformed(number, "expected one of [create, delete, index, update] but found [" + only.getKey() + "]");
        }
        JsonNode meta = only.getValue();
        if (!meta.isObject()) {
            throw malformed(number, "the metadata of [" + only.getKey() + "] must be a JSON object");
        }
        return new Action(only.getKey(), meta.path("_index").isString() ? meta.path("_index").stringValue() : null,
                meta.path("_id").isValueNode() ? meta.path("_id").asString() : null);
    }

    /** The current line's fields when it is a JSON object; null when it is blank or not an object. */
    private DocumentFields source(Lines lines, RepeatedValues repeated, WholeBody whole) {
        if (lines.blank()) {
            return null;
        }
        JsonParser parser = whole.enter(lines);
        if (parser != null) {
            DocumentFields common = DocumentFields.readObject(parser, repeated, uniqueFields);
            if (common != null && whole.leave(lines)) {
                return common;
            }
            whole.drop();
        }
        try (JsonParser line = strict.createParser(lines.bytes, lines.start, lines.end - lines.start)) {
            DocumentFields common = DocumentFields.read(line, repeated, uniqueFields);
            if (common != null) {
                return common;
            }
        }
        try {
            JsonNode document = json.readTree(lines.bytes, lines.start, lines.end - lines.start);
            return document != null && document.isObject() ? DocumentFields.of(document) : null;
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

    /**
     * One parser over the whole body, which reads line after line while each line it has read
     * held exactly one JSON object, starting and ending on that line with nothing but whitespace
     * after it: a parser per line costs more than the line's tokens. At the first line that is
     * otherwise (or that the reader skips), it is dropped, and that line and the rest are read
     * with a parser of their own, as before, so both ways read every body alike.
     * Not thread-safe: one per request.
     */
    private static final class WholeBody implements AutoCloseable {

        /** Null once dropped. */
        private JsonParser parser;
        private final JsonParser created;

        WholeBody(JsonParser parser) {
            this.parser = parser;
            this.created = parser;
        }

        /**
         * The parser on the {@code START_OBJECT} of the current line's value, when that is where
         * its next token is; else null, the parser dropped.
         */
        JsonParser enter(Lines lines) {
            if (parser == null) {
                return null;
            }
            try {
                if (parser.nextToken() == JsonToken.START_OBJECT) {
                    long at = parser.currentTokenLocation().getByteOffset();
                    if (at >= lines.start && at < lines.end) {
                        return parser;
                    }
                }
            } catch (JacksonException e) {
                // read line by line from here on
            }
            drop();
            return null;
        }

        /**
         * Whether the object whose {@code END_OBJECT} the parser is on ends on the current line
         * with only whitespace after it; else false, the parser dropped.
         */
        boolean leave(Lines lines) {
            long end = parser.currentTokenLocation().getByteOffset() + 1;
            if (end <= lines.end && Lines.blank(lines.bytes, (int) end, lines.end)) {
                return true;
            }
            drop();
            return false;
        }

        /** Moves the parser past the current line, one JSON object the caller has matched. */
        void skipValue(Lines lines) {
            if (enter(lines) != null) {
                try {
                    parser.skipChildren();
                } catch (JacksonException e) {
                    drop();
                    return;
                }
                leave(lines);
            }
        }

        /** Reads the rest of the body line by line. */
        void drop() {
            parser = null;
        }

        @Override
        public void close() {
            created.close();
        }
    }

    /** A cursor over the lines of a body. Not thread-safe: one per request. */
    private static final class Lines {

        /** The body's bytes as little-endian longs, so that byte {@code k} of a word is {@code bytes[i + k]}. */
        private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
            end = newline(bytes, start);
            next = end + 1;
            if (end > start && bytes[end - 1] == '\r') {
                end--;
            }
            number++;
            return true;
        }

        /**
         * The index of the first {@code '\n'} at or after {@code from}, else the body's length;
         * eight bytes at a time (a line is some 250 bytes, which a byte at a time is a fifth of
         * reading a bulk body): a byte of {@code x = word ^ 0x0A0A…} is zero where the word's
         * byte is a newline, and the lowest byte that {@code (x - 0x0101…) & ~x & 0x8080…} flags
         * is the first zero byte (flags above it may be false, below it cannot be).
         */
        static int newline(byte[] bytes, int from) {
            int i = from;
            for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
                long x = (long) WORDS.get(bytes, i) ^ 0x0A0A0A0A0A0A0A0AL;
                long zeros = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
                if (zeros != 0) {
                    return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
                }
            }
            while (i < bytes.length && bytes[i] != '\n') {
                i++;
            }
            return i;
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

        /** Whether the current line is {@code text}, byte for byte. */
        boolean is(byte[] text) {
            return Arrays.equals(bytes, start, end, text, 0, text.length);
        }

        boolean blank() {
            return blank(bytes, start, end);
        }

        /** Whether {@code bytes[from, to)} holds nothing but spaces and tabs. */
        static boolean blank(byte[] bytes, int from, int to) {
            for (int i = from; i < to; i++) {
                if (bytes[i] != ' ' && bytes[i] != '\t') {
                    return false;
                }
            }
            return true;
        }
    }
}
