package io.timberdb.ingest.elastic;

import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;

/**
 * Turns an Elasticsearch document into a {@link LogEntryInput}, as {@link ElasticsearchProperties}
 * says:
 * <ol>
 *   <li>the document is flattened: nested objects become dotted keys ({@code log.file.path});
 *       JSON nulls and empty objects are dropped;</li>
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

    DocumentMapper(ElasticsearchProperties props) {
        this.props = props;
    }

    /**
     * The entry of {@code document} (a JSON object), not yet checked.
     *
     * @throws TimberException {@code MISSING_FIELD} when no message field is present, or no source
     *         field and no default source
     */
    LogEntryInput map(JsonNode document) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        flatten("", document, fields);
        String message = take(fields, props.messageFields());
        if (message == null) {
            throw new TimberException(ErrorCode.MISSING_FIELD,
                    "the document has no message: none of " + props.messageFields() + " holds a value", "message");
        }
        String timestamp = take(fields, List.of(props.timestampField()));
        String source = take(fields, props.sourceFields());
        if (source == null) {
            if (props.defaultSource().isEmpty()) {
                throw new TimberException(ErrorCode.MISSING_FIELD,
                        "the document has no source: none of " + props.sourceFields() + " holds a value", "source");
            }
            source = props.defaultSource();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        fields.forEach((key, value) -> {
            if (!ignored(key)) {
                tags.put(key, text(value));
            }
        });
        return new LogEntryInput(timestamp, source, tags, message);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> into) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key + ".", value, into);
            } else if (!value.isNull()) {
                into.put(key, value);
            }
        }
    }

    /** Removes and answers the text of the first of {@code names} that holds a scalar; null if none does. */
    private static String take(Map<String, JsonNode> fields, List<String> names) {
        for (String name : names) {
            JsonNode value = fields.get(name);
            if (value != null && value.isValueNode()) {
                fields.remove(name);
                return text(value);
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

    private static String text(JsonNode value) {
        if (value.isString()) {
            return value.stringValue();
        }
        if (value.isArray()) {
            StringJoiner joined = new StringJoiner(",");
            for (JsonNode element : value) {
                if (element.isContainer()) {
                    return value.toString();
                }
                joined.add(text(element));
            }
            return joined.toString();
        }
        return value.toString(); // numbers and booleans as their JSON text
    }
}
