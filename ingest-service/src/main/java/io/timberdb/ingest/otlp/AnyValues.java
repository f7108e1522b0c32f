package io.timberdb.ingest.otlp;

import io.timberdb.model.error.TimberException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/**
 * OTLP {@code AnyValue}s as both decoders build them: a tree of {@code String}, {@code Boolean},
 * {@code Long}, {@code Double} (a non-finite one as the string {@code "NaN"}, {@code "Infinity"} or
 * {@code "-Infinity"}, as proto3 JSON writes it), {@code byte[]}, {@code List} (an
 * {@code ArrayValue}) and {@code Map<String, Object>} (a {@code KeyValueList}, in order); an
 * {@code AnyValue} with no value set is null. Values nest at most {@link #MAX_DEPTH} deep.
 *
 * <p>Stateless; thread-safe.
 */
final class AnyValues {

    /** How deep arrays and key-value lists may nest in one value (a bound on the decoders' recursion). */
    static final int MAX_DEPTH = 32;

    private static final HexFormat HEX = HexFormat.of();

    private AnyValues() {
    }

    /**
     * Adds {@code value} under {@code key} to {@code tags}: a key-value list by its members, each
     * under {@code key.member} (recursively; an empty list as {@code {}}), an array as compact JSON
     * text, bytes in base64, other scalars as text; an unset value is left out.
     */
    static void flatten(String key, Object value, Map<String, String> tags, ObjectMapper json) {
        if (value instanceof Map<?, ?> members && !members.isEmpty()) {
            for (Map.Entry<?, ?> member : members.entrySet()) {
                flatten(key + "." + member.getKey(), member.getValue(), tags, json);
            }
        } else if (value != null) {
            tags.put(key, text(value, json));
        }
    }

    /** A string as it is; bytes in base64; a list or map as compact JSON; other scalars as text. */
    static String text(Object value, ObjectMapper json) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            return json.writeValueAsString(value); // byte[] members are written in base64 too
        }
        return String.valueOf(value);
    }

    /** A double, or the proto3 JSON string of a non-finite one. */
    static Object number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return value;
    }

    /** Refuses a value nested deeper than {@link #MAX_DEPTH}; {@code path} is the value's, as text when made so. */
    static void checkDepth(int depth, Object path) {
        if (depth > MAX_DEPTH) {
            throw TimberException.invalidField(path.toString(), "nests arrays and key-value lists deeper than " + MAX_DEPTH);
        }
    }

    /**
     * A trace or span id as lower-case hex, null when empty; any other length than {@code length}
     * bytes is refused. {@code path} is the field's, as text when made so.
     */
    static String id(byte[] bytes, int length, Object path) {
        if (bytes.length == 0) {
            return null;
        }
        if (bytes.length != length) {
            throw TimberException.invalidField(path.toString(), "must be " + length + " bytes, not " + bytes.length);
        }
        return HEX.formatHex(bytes);
    }

    /** A trace or span id sent as hex text (OTLP/JSON), checked as {@link #id(byte[], int, Object)}. */
    static String id(String hex, int length, Object path) {
        if (hex.isEmpty()) {
            return null;
        }
        if (hex.length() != 2 * length) {
            throw TimberException.invalidField(path.toString(), "must be " + 2 * length + " hex digits");
        }
        try {
            return HEX.formatHex(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw TimberException.invalidField(path.toString(), "is not hex");
        }
    }
}
