package io.timberdb.model.query;

import io.timberdb.model.query.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a query text into {@link Token}s.
 * <ul>
 *   <li>Identifiers: {@code [A-Za-z_][A-Za-z0-9_]*}; keywords are identifiers the parser
 *       recognises ignoring case.</li>
 *   <li>Quoted identifiers: {@code "..."}, a doubled {@code ""} stands for one quote.</li>
 *   <li>Strings: {@code '...'}, a doubled {@code ''} stands for one quote; may span lines.</li>
 *   <li>Numbers: {@code 12}, {@code 99.9}; durations: a whole number directly followed by a unit,
 *       {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} ({@code 250ms}, {@code 7d}).</li>
 *   <li>Operators {@code = != <> < <= > >= ~ !~ ( ) , . * + -}; whitespace separates;
 *       {@code --} starts a comment up to the end of the line.</li>
 * </ul>
 * Stateless; thread-safe.
 */
final class Lexer {

    static final List<String> DURATION_UNITS = List.of("ms", "s", "m", "h", "d");

    private Lexer() {
    }

    static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (true) {
            i = skipSpaceAndComments(text, i);
            if (i >= n) {
                tokens.add(new Token(Kind.EOF, "", n, n));
                return tokens;
            }
            Token token = next(text, i);
            tokens.add(token);
            i = token.end();
        }
    }

    private static int skipSpaceAndComments(String text, int i) {
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else {
                return i;
            }
        }
        return i;
    }

    private static Token next(String text, int i) {
        char c = text.charAt(i);
        if (isIdentifierStart(c)) {
            int end = i + 1;
            while (end < text.length() && isIdentifierPart(text.charAt(end))) {
                end++;
            }
            return new Token(Kind.IDENTIFIER, text.substring(i, end), i, end);
        }
        if (c >= '0' && c <= '9') {
            return number(text, i);
        }
        if (c == '\'') {
            return quoted(text, i, '\'', Kind.STRING);
        }
        if (c == '"') {
            return quoted(text, i, '"', Kind.QUOTED_IDENTIFIER);
        }
        char d = i + 1 < text.length() ? text.charAt(i + 1) : 0;
        return switch (c) {
            case '=' -> symbol(Kind.EQ, text, i, 1);
            case '!' -> d == '=' ? symbol(Kind.NE, text, i, 2) : d == '~' ? symbol(Kind.NOT_TILDE, text, i, 2)
                    : unexpected(text, i, List.of("'!='", "'!~'"));
            case '<' -> d == '=' ? symbol(Kind.LE, text, i, 2) : d == '>' ? symbol(Kind.NE, text, i, 2)
                    : symbol(Kind.LT, text, i, 1);
            case '>' -> d == '=' ? symbol(Kind.GE, text, i, 2) : symbol(Kind.GT, text, i, 1);
            case '~' -> symbol(Kind.TILDE, text, i, 1);
            case '(' -> symbol(Kind.LPAREN, text, i, 1);
            case ')' -> symbol(Kind.RPAREN, text, i, 1);
            case ',' -> symbol(Kind.COMMA, text, i, 1);
            case '.' -> symbol(Kind.DOT, text, i, 1);
            case '*' -> symbol(Kind.STAR, text, i, 1);
            case '+' -> symbol(Kind.PLUS, text, i, 1);
            case '-' -> symbol(Kind.MINUS, text, i, 1);
            default -> unexpected(text, i, List.of("a keyword, name, string, number or operator"));
        };
    }

    private static Token number(String text, int start) {
        int n = text.length();
        int i = digits(text, start);
        boolean fraction = false;
        if (i + 1 < n && text.charAt(i) == '.' && isDigit(text.charAt(i + 1))) {
            fraction = true;
            i = digits(text, i + 1);
        }
        if (i >= n || !isIdentifierPart(text.charAt(i))) {
            return new Token(Kind.NUMBER, text.substring(start, i), start, i);
        }
        int unitStart = i;
        while (i < n && isIdentifierPart(text.charAt(i))) {
            i++;
        }
        String unit = text.substring(unitStart, i);
        if (fraction || !DURATION_UNITS.contains(unit)) {
            int at = fraction ? start : unitStart;
            throw QueryErrors.syntax(text, at, List.of(fraction ? "a whole number before a duration unit"
                    : "a duration unit (ms, s, m, h or d)"), "'" + text.substring(at, i) + "'");
        }
        return new Token(Kind.DURATION, text.substring(start, i), start, i);
    }

    private static Token quoted(String text, int start, char quote, Kind kind) {
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    value.append(quote);
                    i += 2;
                    continue;
                }
                return new Token(kind, value.toString(), start, i + 1);
            }
            value.append(c);
            i++;
        }
        throw QueryErrors.syntax(text, text.length(), List.of("a closing " + quote + " for the "
                + (kind == Kind.STRING ? "string" : "quoted identifier") + " opened at "
                + describe(Position.of(text, start))), Kind.EOF.description);
    }

    /**
     * The offset in {@code text} of the char at {@code index} of the string token's value: the
     * value's chars map one-to-one to the source except a doubled quote, which is one char.
     */
    static int sourceOffset(String text, Token string, int index) {
        int i = string.start() + 1;
        for (int k = 0; k < index && i < string.end() - 1; k++) {
            i += text.charAt(i) == '\'' ? 2 : 1;
        }
        return i;
    }

    private static String describe(Position at) {
        return "line " + at.line() + ", column " + at.column();
    }

    private static Token symbol(Kind kind, String text, int start, int length) {
        return new Token(kind, text.substring(start, start + length), start, start + length);
    }

    private static Token unexpected(String text, int i, List<String> expected) {
        throw QueryErrors.syntax(text, i, expected, "'" + new String(Character.toChars(text.codePointAt(i))) + "'");
    }

    private static int digits(String text, int i) {
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }
}
