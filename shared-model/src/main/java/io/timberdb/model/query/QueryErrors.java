package io.timberdb.model.query;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link TimberException}s of the query language: {@link ErrorCode#QUERY_SYNTAX} for a
 * text that is not well-formed, {@link ErrorCode#QUERY_INVALID} for a well-formed query that cannot
 * run. Both name the field {@code query} and carry the problem-detail members {@code line},
 * {@code column} and, for syntax errors, {@code expected} (a list) and {@code found}.
 */
final class QueryErrors {

    /** The request field that holds the query text. */
    static final String FIELD = "query";

    private QueryErrors() {
    }

    /** A syntax error: at {@code offset}, one of {@code expected} should have come instead of {@code found}. */
    static TimberException syntax(String text, int offset, List<String> expected, String found) {
        Position at = Position.of(text, offset);
        String detail = where(at) + "expected " + String.join(" or ", expected) + " but found " + found;
        Map<String, Object> properties = properties(at);
        properties.put("expected", List.copyOf(expected));
        properties.put("found", found);
        return new TimberException(ErrorCode.QUERY_SYNTAX, detail, FIELD, properties, null);
    }

    /** A syntax error at {@code offset} that a list of expected tokens would not explain well. */
    static TimberException syntax(String text, int offset, String why) {
        Position at = Position.of(text, offset);
        return new TimberException(ErrorCode.QUERY_SYNTAX, where(at) + why, FIELD, properties(at), null);
    }

    /** A semantic error at {@code offset}. */
    static TimberException invalid(String text, int offset, String why) {
        Position at = Position.of(text, offset);
        return new TimberException(ErrorCode.QUERY_INVALID, where(at) + why, FIELD, properties(at), null);
    }

    private static String where(Position at) {
        return "line " + at.line() + ", column " + at.column() + ": ";
    }

    private static Map<String, Object> properties(Position at) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("line", at.line());
        properties.put("column", at.column());
        return properties;
    }
}
