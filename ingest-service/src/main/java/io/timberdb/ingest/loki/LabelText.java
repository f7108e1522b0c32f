package io.timberdb.ingest.loki;

import io.timberdb.model.error.TimberException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the Prometheus label text of a protobuf stream: {@code {job="api", level="info"}}.
 * Names match {@code [a-zA-Z_][a-zA-Z0-9_]*}; values are double-quoted with the escapes
 * {@code \"}, {@code \\} and {@code \n}; pairs are separated by commas (a trailing comma is
 * allowed) with optional whitespace around every token. {@code {}} is a stream without labels.
 * Anything else, or a name given twice, is refused naming the text's path.
 *
 * <p>Stateless; thread-safe.
 */
final class LabelText {

    private LabelText() {
    }

    /** The labels of {@code text}, in their order; {@code path} names the text in errors. */
    static Map<String, String> parse(String text, String path) {
        Cursor at = new Cursor(text, path);
        Map<String, String> labels = new LinkedHashMap<>();
        at.skipSpace();
        at.expect('{');
        at.skipSpace();
        while (!at.consume('}')) {
            String name = at.name();
            at.skipSpace();
            at.expect('=');
            at.skipSpace();
            String value = at.quoted();
            if (labels.putIfAbsent(name, value) != null) {
                throw at.invalid("repeats the label " + name);
            }
            at.skipSpace();
            if (!at.consume(',')) {
                at.expect('}');
                break;
            }
            at.skipSpace();
        }
        at.skipSpace();
        if (!at.atEnd()) {
            throw at.invalid("has text after the closing '}'");
        }
        return labels;
    }

    /** Whether {@code name} is a valid label name. */
    static boolean validName(String name) {
        if (name.isEmpty() || !nameStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!namePart(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean nameStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    private static boolean namePart(char c) {
        return nameStart(c) || c >= '0' && c <= '9';
    }

    /** A position in the text being read. Not thread-safe: one per call. */
    private static final class Cursor {

        private final String text;
        private final String path;
        private int pos;

        Cursor(String text, String path) {
            this.text = text;
            this.path = path;
        }

        boolean atEnd() {
            return pos == text.length();
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        boolean consume(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!consume(c)) {
                throw invalid("expects '" + c + "' at offset " + pos);
            }
        }

        String name() {
            int start = pos;
            if (pos < text.length() && nameStart(text.charAt(pos))) {
                pos++;
                while (pos < text.length() && namePart(text.charAt(pos))) {
                    pos++;
                }
            }
            if (pos == start) {
                throw invalid("expects a label name ([a-zA-Z_][a-zA-Z0-9_]*) at offset " + pos);
            }
            return text.substring(start, pos);
        }

        String quoted() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw invalid("has an unterminated quoted value");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                if (atEnd()) {
                    throw invalid("has an unterminated quoted value");
                }
                char escaped = text.charAt(pos++);
                switch (escaped) {
                    case '"', '\\' -> value.append(escaped);
                    case 'n' -> value.append('\n');
                    default -> throw invalid("has an unknown escape \\" + escaped + " at offset " + (pos - 2));
                }
            }
        }

        TimberException invalid(String why) {
            return TimberException.invalidField(path, "is not a Prometheus label set {name=\"value\", ...}: it " + why);
        }
    }
}
