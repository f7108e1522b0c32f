package io.timberdb.ingest.elastic;

import io.timberdb.ingest.api.RepeatedValues;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * The fields of an Elasticsearch document, flattened: nested objects become dotted keys
 * ({@code log.file.path}); JSON nulls and empty objects are dropped; a key that the flattening
 * produces twice ({@code "a.b"} and {@code "a":{"b"}}) keeps its first place and its last value.
 * Each field holds its text: strings as they are, numbers and booleans as their JSON text
 * ({@code 42}, {@code true}), an array of scalars joined with {@code ","} ({@code ["a","b"]} →
 * {@code a,b}), an array that holds objects or arrays as its compact JSON text. An array is not a
 * scalar ({@link #scalar}).
 *
 * <p>Two ways in, with the same result: {@link #of(JsonNode)} from a parsed tree, and
 * {@link #read} straight from the parser's tokens, without a tree, for the documents
 * nearly every shipper sends; it declines (null) whatever the tree must decide, so that both agree
 * on every document.
 *
 * <p>The fields are held in arrays, in document order, and found by a linear search while there
 * are at most {@link #SCANNED}: a log document has a handful of fields, for which hashing every
 * key costs more than comparing it; beyond, through an index (a document of many fields must not
 * cost their square).
 *
 * <p>Not thread-safe: built and read by one request.
 */
final class DocumentFields {

    private static final int SCANNED = 16;

    /** The fields' keys (null once removed), texts and whether each is an array, in document order. */
    private String[] keys = new String[SCANNED];
    private String[] texts = new String[SCANNED];
    private boolean[] arrays = new boolean[SCANNED];
    private int count;
    /** The place of each key once there are more than {@link #SCANNED} fields; else null. */
    private Map<String, Integer> index;

    private DocumentFields() {
    }

    /** The fields of {@code document}, a JSON object. */
    static DocumentFields of(JsonNode document) {
        DocumentFields fields = new DocumentFields();
        fields.flatten("", document);
        return fields;
    }

    /**
     * The fields of the one JSON object {@code parser} holds, read token by token; null when the
     * content is anything else (not an object, not valid JSON, content after the object), which
     * {@link #of(JsonNode)} on the parsed tree decides. The parser must refuse a repeated key
     * ({@code STRICT_DUPLICATE_DETECTION}): an object's repeated key keeps its last value in the
     * tree, nested objects included, which a single pass cannot tell in advance.
     *
     * @param repeated the request's repeated values: string values are their canonical instances,
     * @param unique but for the fields named here (the message, the time: hashing them into the
     *        cache would cost without sparing anything)
     */
    static DocumentFields read(JsonParser parser, RepeatedValues repeated, Set<String> unique) {
        try {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            DocumentFields fields = readObject(parser, repeated, unique);
            return fields != null && parser.nextToken() == null ? fields : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * As {@link #read}, for the object whose {@code START_OBJECT} {@code parser} is on, read to
     * its {@code END_OBJECT}: what follows it is the caller's to check.
     */
    static DocumentFields readObject(JsonParser parser, RepeatedValues repeated, Set<String> unique) {
        try {
            DocumentFields fields = new DocumentFields();
            fields.readObject("", parser, repeated, unique);
            return fields;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The text of {@code key}, or null when the document has no such field. */
    String get(String key) {
        int i = indexOf(key);
        return i < 0 ? null : texts[i];
    }

    /**
     * Removes {@code key} and answers its text when it holds a scalar (a string, number or
     * boolean: not an array); else null, and the field stays.
     */
    String takeScalar(String key) {
        int i = indexOf(key);
        if (i < 0 || arrays[i]) {
            return null;
        }
        keys[i] = null;
        return texts[i];
    }

    /** Whether {@code key} holds a scalar. */
    boolean scalar(String key) {
        int i = indexOf(key);
        return i >= 0 && !arrays[i];
    }

    /** The number of places: fields, removed ones included; {@link #key} is null at a removed one. */
    int places() {
        return count;
    }

    /** The key at {@code place}, in document order; null when removed. */
    String key(int place) {
        return keys[place];
    }

    /** The text at {@code place}. */
    String text(int place) {
        return texts[place];
    }

    private int indexOf(String key) {
        if (index != null) {
            int place = index.getOrDefault(key, -1);
            return place >= 0 && keys[place] != null ? place : -1;
        }
        for (int i = 0; i < count; i++) {
            if (key.equals(keys[i])) {
                return i;
            }
        }
        return -1;
    }

    private void flatten(String prefix, JsonNode node) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key + ".", value);
            } else if (!value.isNull()) {
                put(key, text(value), value.isArray());
            }
        }
    }

    /** Reads the members of an object whose start the parser is on. */
    private void readObject(String prefix, JsonParser parser, RepeatedValues repeated, Set<String> unique) {
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = prefix.isEmpty() ? parser.currentName() : prefix + parser.currentName();
            switch (parser.nextToken()) {
                case START_OBJECT -> readObject(key + ".", parser, repeated, unique);
                case VALUE_NULL -> {
                }
                case VALUE_STRING -> put(key, unique.contains(key) ? parser.getString()
                        : repeated.string(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength()),
                        false);
                // numbers, booleans and arrays are rare in log documents: their text is the tree's
                default -> {
                    JsonNode value = parser.readValueAsTree();
                    put(key, text(value), value.isArray());
                }
            }
        }
    }

    private void put(String key, String text, boolean array) {
        // Only a dotted key can repeat: the keys of one object are distinct (the tree's, and a strict
        // parser's), so a repeat is the flattening's ("a.b" and "a":{"b"}), which keeps the first place.
        int i = key.indexOf('.') < 0 ? -1 : indexOf(key);
        if (i < 0) {
            if (count == keys.length) {
                keys = Arrays.copyOf(keys, 2 * count);
                texts = Arrays.copyOf(texts, 2 * count);
                arrays = Arrays.copyOf(arrays, 2 * count);
            }
            i = count++;
            keys[i] = key;
            if (index != null) {
                index.put(key, i);
            } else if (count > SCANNED) {
                index = new HashMap<>();
                for (int place = 0; place < count; place++) {
                    index.put(keys[place], place);
                }
            }
        }
        texts[i] = text;
        arrays[i] = array;
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
