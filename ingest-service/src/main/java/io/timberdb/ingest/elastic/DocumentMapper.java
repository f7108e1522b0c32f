package io.timberdb.ingest.elastic;

import io.timberdb.ingest.api.RepeatedValues;
import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Turns an Elasticsearch document into a {@link LogEntryInput}, as {@link ElasticsearchProperties}
 * says:
 * <ol>
 *   <li>the document is flattened ({@link DocumentFields}): nested objects become dotted keys
 *       ({@code log.file.path}); JSON nulls and empty objects are dropped;</li>
 *   <li>the message is the first of {@code message-fields} that holds a scalar, the time the
 *       {@code timestamp-field}, the source the first of {@code source-fields} (else
 *       {@code default-source}); the fields so used are not repeated as tags;</li>
 *   <li>every other field is a tag: strings as they are, numbers and booleans as their JSON text
 *       ({@code 42}, {@code true}); an array of scalars joined with {@code ","}
 *       ({@code ["a","b"]} → {@code a,b}), an array that holds objects or arrays as its compact
 *       JSON text;</li>
 *   <li>fields in {@code ignored-fields}, and those under them, are left out.</li>
 * </ol>
 *
 * <p>Thread-safe: immutable.
 */
final class DocumentMapper {

    private final ElasticsearchProperties props;
    private final List<String> timestampFields;

    DocumentMapper(ElasticsearchProperties props) {
        this.props = props;
        this.timestampFields = List.of(props.timestampField());
    }

    /**
     * The fields whose value differs from entry to entry (the message and time fields), which a
     * reader takes as they are rather than as canonical instances ({@link RepeatedValues}).
     */
    static Set<String> uniqueFields(ElasticsearchProperties props) {
        Set<String> unique = new HashSet<>(props.messageFields());
        unique.add(props.timestampField());
        return Set.copyOf(unique);
    }

    /**
     * The entry of {@code document} (a JSON object), not yet checked.
     *
     * @throws TimberException {@code MISSING_FIELD} when no message field is present, or no source
     *         field and no default source
     */
    LogEntryInput map(JsonNode document) {
        return map(DocumentFields.of(document));
    }

    /** As {@link #map(JsonNode)}, for a document already flattened; consumes {@code fields}. */
    LogEntryInput map(DocumentFields fields) {
        return map(fields, new RepeatedValues());
    }

    /**
     * As {@link #map(DocumentFields)}, for one document of a request.
     *
     * @param repeated the request's repeated values: the entry's tags are the map of its tag set
     */
    LogEntryInput map(DocumentFields fields, RepeatedValues repeated) {
        String message = take(fields, props.messageFields());
        if (message == null) {
            throw new TimberException(ErrorCode.MISSING_FIELD,
                    "the document has no message: none of " + props.messageFields() + " holds a value", "message");
        }
        String timestamp = take(fields, timestampFields);
        String source = take(fields, props.sourceFields());
        if (source == null) {
            if (props.defaultSource().isEmpty()) {
                throw new TimberException(ErrorCode.MISSING_FIELD,
                        "the document has no source: none of " + props.sourceFields() + " holds a value", "source");
            }
            source = props.defaultSource();
        }
        String[] pairs = new String[2 * fields.places()];
        int count = 0;
        for (int place = 0; place < fields.places(); place++) {
            String key = fields.key(place);
            if (key != null && !ignored(key)) {
                pairs[2 * count] = key;
                pairs[2 * count + 1] = fields.text(place);
                count++;
            }
        }
        return new LogEntryInput(timestamp, source, repeated.tags(pairs, count), message);
    }

    /** Removes and answers the text of the first of {@code names} that holds a scalar; null if none does. */
    private static String take(DocumentFields fields, List<String> names) {
        for (String name : names) {
            String text = fields.takeScalar(name);
            if (text != null) {
                return text;
            }
        }
        return null;
    }

    private boolean ignored(String key) {
        for (String ignored : props.ignoredFields()) {
            if (key.equals(ignored) || key.startsWith(ignored) && key.charAt(ignored.length()) == '.') {
                return true;
            }
        }
        return false;
    }
}
