package io.timberdb.ingest.api;

import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.async.ByteBufferFeeder;

/**
 * The entries of one native-API body, read as its bytes arrive: each chunk is fed to Jackson's
 * non-blocking parser and its tokens drive the state machine below until the parser needs more
 * input. Nothing of the body is kept but the entries made so far (and the parser's current
 * token), so a request holds at most the entries of one body, never the body's raw bytes.
 *
 * <pre>
 * ROOT ──{──▶ ENTRY ◀──────────────┐     ENTRY ─name─▶ FIELD ─scalar─▶ ENTRY
 *   │ [                            │     FIELD ─tags {─▶ TAGS ─name─▶ TAG ─scalar─▶ TAGS ─}─▶ ENTRY
 *   ▼                              │     FIELD ─other { or [─▶ SKIP (until its close) ─▶ ENTRY
 * ITEMS ─{─▶ ENTRY ─}─▶ ITEMS ─]─▶ END   ENTRY ─}─▶ ITEMS (array), END (single object) or ROOT (NDJSON)
 * </pre>
 *
 * <p>Not thread-safe: one per request, fed by one thread at a time.
 */
final class EntryStream {

    private enum State { ROOT, ITEMS, ENTRY, FIELD, TAGS, TAG, SKIP, END }

    /** The index of a body that is a single entry rather than an array or lines. */
    private static final int SINGLE = -1;

    private final JsonParser in;
    private final ByteBufferFeeder feeder;
    private final boolean ndjson;
    private final List<LogEntryInput> entries = new ArrayList<>();
    private final RepeatedValues repeated = new RepeatedValues();
    private State state = State.ROOT;
    private boolean array;
    /** Whether the body held any token: an empty JSON body is refused, empty NDJSON is no entries. */
    private boolean started;

    // the entry being read
    private int index;
    private String field;
    private String timestamp;
    private String source;
    private String message;
    private Map<String, String> tags;
    /** Tag keys and values of the entry being read, in pairs; reused from entry to entry. */
    private String[] pairs = new String[16];
    private int tagCount;
    /** Open objects and arrays of a skipped field's value. */
    private int skipDepth;

    /** @param parser a non-blocking parser fed with {@code ByteBuffer}s */
    EntryStream(JsonParser parser, boolean ndjson) {
        this.in = parser;
        this.feeder = (ByteBufferFeeder) parser.nonBlockingInputFeeder();
        this.ndjson = ndjson;
    }

    /**
     * Reads the entries {@code chunk} completes; its bytes are consumed before this returns, so the
     * buffer may be reused or released afterwards.
     *
     * @throws TimberException {@code MALFORMED_JSON}, or {@code INVALID_FIELD} naming the field
     */
    void feed(ByteBuffer chunk) {
        try {
            feeder.feedInput(chunk);
            drain();
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /** The entries of the whole body, after its last chunk was fed. */
    EntryParser.Parsed finish() {
        try {
            feeder.endOfInput();
            drain();
        } catch (JacksonException e) {
            throw malformed(e);
        } finally {
            in.close();
        }
        if (!started && !ndjson) {
            throw new TimberException(ErrorCode.MALFORMED_JSON, "the body is empty");
        }
        if (state != (ndjson ? State.ROOT : State.END)) {
            throw new TimberException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: it ends inside "
                    + (state == State.ITEMS ? "the array" : "an entry"));
        }
        return new EntryParser.Parsed(entries, array || ndjson ? EntryPaths.indexes(entries.size()) : List.of(""));
    }

    private void drain() {
        for (JsonToken t = in.nextToken(); t != null && t != JsonToken.NOT_AVAILABLE; t = in.nextToken()) {
            started = true;
            token(t);
        }
    }

    private void token(JsonToken t) {
        switch (state) {
            case ROOT -> {
                if (!ndjson && t == JsonToken.START_ARRAY) {
                    array = true;
                    state = State.ITEMS;
                } else {
                    begin(t, ndjson ? entries.size() : SINGLE);
                }
            }
            case ITEMS -> {
                if (t == JsonToken.END_ARRAY) {
                    state = State.END;
                } else {
                    begin(t, entries.size());
                }
            }
            case ENTRY -> {
                if (t == JsonToken.END_OBJECT) {
                    entries.add(new LogEntryInput(timestamp, source, tags, message));
                    state = array ? State.ITEMS : ndjson ? State.ROOT : State.END;
                } else {
                    field = in.currentName();
                    state = State.FIELD;
                }
            }
            case FIELD -> value(t);
            case TAGS -> {
                if (t == JsonToken.END_OBJECT) {
                    tags = repeated.tags(pairs, tagCount);
                    state = State.ENTRY;
                } else {
                    if (2 * tagCount == pairs.length) {
                        pairs = Arrays.copyOf(pairs, 2 * pairs.length);
                    }
                    pairs[2 * tagCount] = in.currentName(); // field names come canonical from the symbol table
                    state = State.TAG;
                }
            }
            case TAG -> {
                pairs[2 * tagCount + 1] = repeated(t, "tags");
                tagCount++;
                state = State.TAGS;
            }
            case SKIP -> {
                if (t.isStructStart()) {
                    skipDepth++;
                } else if (t.isStructEnd() && --skipDepth == 0) {
                    state = State.ENTRY;
                }
            }
            case END -> throw new TimberException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: "
                    + "unexpected content after the " + (array ? "array" : "entry"));
        }
    }

    /** The first token of entry {@code at}, which must open an object. */
    private void begin(JsonToken t, int at) {
        if (t != JsonToken.START_OBJECT) {
            throw new TimberException(ErrorCode.INVALID_FIELD,
                    "each entry must be a JSON object {timestamp?, source, tags?, message}", at == SINGLE ? "$" : path(at));
        }
        index = at;
        timestamp = null;
        source = null;
        message = null;
        tags = null;
        state = State.ENTRY;
    }

    /** The value of {@link #field}. */
    private void value(JsonToken t) {
        state = State.ENTRY;
        switch (field) {
            case "timestamp" -> timestamp = scalar(t, field) ? in.getString() : null;
            case "source" -> source = repeated(t, field);
            case "message" -> message = scalar(t, field) ? in.getString() : null;
            case "tags" -> {
                if (t == JsonToken.START_OBJECT) {
                    tagCount = 0;
                    state = State.TAGS;
                } else if (t == JsonToken.VALUE_NULL) {
                    tags = null;
                } else {
                    throw wrongType("tags", "an object of key/value strings");
                }
            }
            default -> {
                if (t.isStructStart()) {
                    skipDepth = 1;
                    state = State.SKIP;
                }
            }
        }
    }

    /** A scalar's text as {@link #scalar} takes it, as a canonical instance. */
    private String repeated(JsonToken t, String name) {
        return scalar(t, name) ? repeated.string(in.getStringCharacters(), in.getStringOffset(), in.getStringLength()) : null;
    }

    /**
     * Whether the current value has a text (strings; numbers and booleans as written); false for
     * JSON null.
     */
    private boolean scalar(JsonToken t, String name) {
        return switch (t) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> true;
            case VALUE_NULL -> false;
            default -> throw wrongType(name, "a string");
        };
    }

    private static String path(int index) {
        return index == SINGLE ? "" : "[" + index + "]";
    }

    private TimberException wrongType(String name, String expected) {
        String at = index == SINGLE ? name : path(index) + "." + name;
        return new TimberException(ErrorCode.INVALID_FIELD, "'" + at + "' has the wrong type: must be " + expected, at);
    }

    private TimberException malformed(JacksonException e) {
        String where = ndjson && e.getLocation() != null && e.getLocation().getLineNr() > 0
                ? " at line " + e.getLocation().getLineNr() : "";
        return new TimberException(ErrorCode.MALFORMED_JSON,
                "the body is not valid JSON" + where + ": " + e.getOriginalMessage());
    }
}
