package io.timberdb.ingest.api;

import io.timberdb.model.api.LogEntryInput;
import java.util.List;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads the bodies of the native write API: one JSON object, a JSON array of objects, or NDJSON
 * (one object per line; blank lines are skipped). Errors name the entry at fault by its index,
 * e.g. {@code [2].message}.
 *
 * <p>A body is read as a stream ({@link EntryStream}): its bytes are fed chunk by chunk, as they
 * arrive, to Jackson's non-blocking parser, and entries are made from its tokens with no
 * intermediate tree, string copy of the body or line split. Values that repeat from entry to entry
 * (sources, tag values, tag sets) are made once per request ({@link RepeatedValues}).
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

    /** A stream for one body: NDJSON, or else a single object or an array of objects. */
    EntryStream open(boolean ndjson) {
        return new EntryStream(json.createNonBlockingByteBufferParser(), ndjson);
    }
}
