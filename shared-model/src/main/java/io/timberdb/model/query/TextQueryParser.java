package io.timberdb.model.query;

import java.util.List;

/**
 * Parses the search inside {@code message MATCHES '...'} into a {@link TextQuery}. Errors point
 * into the whole query text.
 *
 * <pre>
 * search  = or
 * or      = and { "OR" and }
 * and     = unary { [ "AND" ] unary }          -- side by side means AND
 * unary   = "NOT" unary | near
 * near    = primary [ "NEAR" [ "/" n ] atom ]  -- primary must be an atom; n defaults to 5
 * primary = "(" or ")" | atom
 * atom    = '"' words '"' | word | wildcard | word "~" [ 0 | 1 | 2 ]
 * </pre>
 * Operators are upper case; {@code and}, {@code or}, {@code not}, {@code near} in lower case are
 * words. Chunks are separated by ASCII whitespace, parentheses and double quotes. A chunk that
 * holds several words ({@code blk_123}, {@code 10.0.0.1}) is the phrase of those words.
 *
 * <p>Not thread-safe: one per parse.
 */
final class TextQueryParser {

    /** NEAR without a distance. */
    static final int DEFAULT_NEAR = 5;
    static final int MAX_NEAR = 1000;

    private static final String END = "the end of the MATCHES search";
    private static final String[] OPERAND = {"a word", "a \"phrase\"", "'('", "NOT"};

    private final String text;
    private final Token string;
    private final String s;
    private int i;
    /** Where the chunk {@link #peek()} returned starts and ends in {@link #s}. */
    private int start;
    private int end;

    private TextQueryParser(String text, Token string) {
        this.text = text;
        this.string = string;
        this.s = string.value();
    }

    /** The search held by the string token {@code string} of the query {@code text}. */
    static TextQuery parse(String text, Token string) {
        TextQueryParser parser = new TextQueryParser(text, string);
        TextQuery query = parser.or();
        if (!parser.peek().isEmpty()) {
            throw parser.expected("AND", "OR", "NOT", "a word", "a \"phrase\"", "'('");
        }
        return query;
    }

    private TextQuery or() {
        TextQuery left = and();
        while (peek().equals("OR")) {
            i = end;
            left = new TextQuery.Or(left, and());
        }
        return left;
    }

    private TextQuery and() {
        TextQuery left = unary();
        while (true) {
            String chunk = peek();
            if (chunk.equals("AND")) {
                i = end;
            } else if (chunk.isEmpty() || chunk.equals("OR") || chunk.equals(")") || isNear(chunk)) {
                return left;
            }
            left = new TextQuery.And(left, unary());
        }
    }

    private TextQuery unary() {
        if (peek().equals("NOT")) {
            i = end;
            return new TextQuery.Not(unary());
        }
        int at = peekStart();
        TextQuery left = primary();
        String chunk = peek();
        if (!isNear(chunk)) {
            return left;
        }
        if (!(left instanceof TextQuery.Atom leftAtom)) {
            throw invalid(at, "NEAR joins two words or phrases, not a group in parentheses");
        }
        int distance = nearDistance(chunk);
        i = end;
        String next = peek();
        if (next.isEmpty() || next.equals("(") || next.equals(")") || isOperator(next)) {
            throw expected("a word", "a \"phrase\"");
        }
        TextQuery.Atom right = atom();
        if (isNear(peek())) {
            throw invalid(start, "NEAR joins two words or phrases; combine several NEARs with AND");
        }
        return new TextQuery.Near(leftAtom, right, distance);
    }

    private TextQuery primary() {
        String chunk = peek();
        if (chunk.equals("(")) {
            i = end;
            TextQuery inner = or();
            if (!peek().equals(")")) {
                throw expected("AND", "OR", "')'");
            }
            i = end;
            return inner;
        }
        if (chunk.isEmpty() || chunk.equals(")") || isOperator(chunk)) {
            throw expected(OPERAND);
        }
        return atom();
    }

    private TextQuery.Atom atom() {
        String chunk = peek();
        int at = start;
        i = end;
        if (chunk.startsWith("\"")) {
            return words(TextTerms.of(chunk.substring(1, chunk.length() - 1)), at, "a phrase");
        }
        int tilde = chunk.indexOf('~');
        if (tilde >= 0) {
            return fuzzy(chunk, tilde, at);
        }
        if (chunk.indexOf('*') >= 0 || chunk.indexOf('?') >= 0) {
            for (int k = 0; k < chunk.length(); k++) {
                char c = chunk.charAt(k);
                if (c != '*' && c != '?' && !TextTerms.isWordChar(chunk, k)) {
                    throw invalid(at + k, "a wildcard is one word: letters and digits with * and ?");
                }
            }
            if (chunk.chars().allMatch(c -> c == '*' || c == '?')) {
                throw invalid(at, "a wildcard needs at least one letter or digit");
            }
            return new TextQuery.Wildcard(TextTerms.asciiLowerCase(chunk));
        }
        return words(TextTerms.of(chunk), at, "a word");
    }

    private TextQuery.Atom fuzzy(String chunk, int tilde, int at) {
        String edits = chunk.substring(tilde + 1);
        if (!edits.isEmpty() && !(edits.length() == 1 && edits.charAt(0) >= '0' && edits.charAt(0) <= '2')) {
            throw invalid(at + tilde + 1, "a fuzzy word takes ~0, ~1 or ~2 edits (~ alone means ~2)");
        }
        List<String> words = TextTerms.of(chunk.substring(0, tilde));
        if (words.size() != 1 || chunk.substring(0, tilde).length() != words.get(0).length()) {
            throw invalid(at, "a fuzzy search is one word: letters and digits followed by ~");
        }
        return new TextQuery.Fuzzy(words.get(0), edits.isEmpty() ? 2 : edits.charAt(0) - '0');
    }

    private TextQuery.Atom words(List<String> words, int at, String what) {
        if (words.isEmpty()) {
            throw invalid(at, what + " needs at least one letter or digit");
        }
        return words.size() == 1 ? new TextQuery.Term(words.get(0)) : new TextQuery.Phrase(words);
    }

    private int nearDistance(String chunk) {
        if (chunk.equals("NEAR")) {
            return DEFAULT_NEAR;
        }
        String digits = chunk.substring("NEAR/".length());
        if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(Character::isDigit)
                || Integer.parseInt(digits) > MAX_NEAR) {
            throw invalid(start, "NEAR/n takes a distance n from 0 to " + MAX_NEAR);
        }
        return Integer.parseInt(digits);
    }

    /**
     * The next chunk without consuming it (set {@code i = end} to consume): {@code "("},
     * {@code ")"}, a phrase with its quotes, a run of other chars, or "" at the end.
     */
    private String peek() {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        start = i;
        if (i >= s.length()) {
            end = i;
            return "";
        }
        char c = s.charAt(i);
        if (c == '(' || c == ')') {
            end = i + 1;
        } else if (c == '"') {
            int close = s.indexOf('"', i + 1);
            if (close < 0) {
                throw QueryErrors.syntax(text, offset(s.length()), List.of("a closing \" for the phrase"), END);
            }
            end = close + 1;
        } else {
            end = i;
            while (end < s.length() && !isSpace(s.charAt(end)) && "()\"".indexOf(s.charAt(end)) < 0) {
                end++;
            }
        }
        return s.substring(start, end);
    }

    private int peekStart() {
        peek();
        return start;
    }

    private static boolean isOperator(String chunk) {
        return chunk.equals("AND") || chunk.equals("OR") || chunk.equals("NOT") || isNear(chunk);
    }

    private static boolean isNear(String chunk) {
        return chunk.equals("NEAR") || chunk.startsWith("NEAR/");
    }

    /** The separators of MATCHES chunks are ASCII whitespace only: other chars may be word characters. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private RuntimeException expected(String... what) {
        String chunk = peek();
        return QueryErrors.syntax(text, offset(start), List.of(what), chunk.isEmpty() ? END : "'" + chunk + "'");
    }

    private RuntimeException invalid(int at, String why) {
        return QueryErrors.syntax(text, offset(at), why);
    }

    /** The offset in the whole query of the char at {@code index} of the search. */
    private int offset(int index) {
        return Lexer.sourceOffset(text, string, index);
    }
}
