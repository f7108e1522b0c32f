package io.timberdb.model.query;

import io.timberdb.model.error.TimberException;
import io.timberdb.model.query.Token.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The position of a parser in a query's tokens, with the helpers every grammar rule uses.
 * Not thread-safe: one per parse.
 */
final class Cursor {

    /** The keywords and function names: none of them is a short form of a tag. */
    static final Set<String> RESERVED = Set.of("select", "from", "where", "group", "order", "by", "limit", "asc",
            "desc", "explain", "and", "or", "not", "in", "like", "exists", "between", "contains", "icontains",
            "matches", "now", "bin", "count", "count_distinct", "min", "max", "avg", "sum", "percentile", "top",
            "time", "id", "source", "message", "tags");

    private static final Map<String, Field> NAMED_FIELDS =
            Map.of("time", Field.TIME, "id", Field.ID, "source", Field.SOURCE, "message", Field.MESSAGE);

    private static final Set<String> AGGREGATES =
            Set.of("count", "count_distinct", "min", "max", "avg", "sum", "percentile", "top");

    final String text;
    private final List<Token> tokens;
    private int index;

    Cursor(String text) {
        this.text = text;
        this.tokens = Lexer.tokenize(text);
    }

    Token peek() {
        return tokens.get(index);
    }

    /** The token {@code ahead} places after the next one (negative: before it). */
    Token peek(int ahead) {
        return tokens.get(Math.max(0, Math.min(index + ahead, tokens.size() - 1)));
    }

    Token next() {
        Token token = tokens.get(index);
        if (token.kind() != Kind.EOF) {
            index++;
        }
        return token;
    }

    /** Steps back over the token {@link #next()} returned. */
    void back() {
        index--;
    }

    /** A duration literal such as {@code 5m}. */
    Duration duration() {
        Token t = expect(Kind.DURATION);
        Duration d = Durations.parse(t.value());
        if (d == null) {
            throw invalid(t.start(), "a duration is at most " + Durations.MAX_MILLIS / 86_400_000L + "d");
        }
        return d;
    }

    boolean at(Kind kind) {
        return peek().kind() == kind;
    }

    boolean atKeyword(String keyword) {
        return peek().is(keyword);
    }

    /** Consumes the keyword if it comes next. */
    boolean accept(String keyword) {
        if (atKeyword(keyword)) {
            index++;
            return true;
        }
        return false;
    }

    /** Consumes a token of this kind if it comes next. */
    boolean accept(Kind kind) {
        if (at(kind)) {
            next();
            return true;
        }
        return false;
    }

    Token expect(Kind kind) {
        if (!at(kind)) {
            throw expected(kind.description);
        }
        return next();
    }

    Token expectKeyword(String keyword) {
        if (!atKeyword(keyword)) {
            throw expected(keyword.toUpperCase(Locale.ROOT));
        }
        return next();
    }

    /** A syntax error at the next token: one of {@code what} was expected there. */
    TimberException expected(String... what) {
        return QueryErrors.syntax(text, peek().start(), List.of(what), peek().describe());
    }

    /** A semantic error at {@code offset}. */
    TimberException invalid(int offset, String why) {
        return QueryErrors.invalid(text, offset, why);
    }

    /**
     * A field: {@code time}, {@code id}, {@code source}, {@code message}, {@code tags.<key>} with
     * the key a name or a quoted name, or the short form {@code <key>} for a key that is a name
     * and not {@linkplain #RESERVED reserved}.
     */
    Field field() {
        Token t = peek();
        if (t.kind() != Kind.IDENTIFIER) {
            throw expected("a field (time, id, source, message, tags.<key>)");
        }
        String name = t.value().toLowerCase(Locale.ROOT);
        Field named = NAMED_FIELDS.get(name);
        if (named != null) {
            next();
            return named;
        }
        switch (name) {
            case "tags" -> {
                next();
                expect(Kind.DOT);
                if (!at(Kind.IDENTIFIER) && !at(Kind.QUOTED_IDENTIFIER)) {
                    throw expected("a tag key (a name or a \"quoted name\")");
                }
                Token key = next();
                if (key.value().isEmpty()) {
                    throw invalid(key.start(), "a tag key is not empty");
                }
                return Field.tag(key.value());
            }
            default -> {
                if (peek(1).kind() == Kind.LPAREN) {
                    throw AGGREGATES.contains(name) ? invalid(t.start(), name
                            + "(...) is an aggregate: it belongs in the SELECT list or ORDER BY, not here") : unknownFunction(t);
                }
                if (isReserved(name)) {
                    throw expected("a field (time, id, source, message, tags.<key>)");
                }
                next();
                return Field.tag(t.value());
            }
        }
    }

    /** The error for {@code name(} where {@code name} is not a function of the language. */
    TimberException unknownFunction(Token name) {
        return invalid(name.start(), "unknown function '" + name.value()
                + "'; the functions are count, count_distinct, min, max, avg, sum, percentile, top, bin and now");
    }

    static boolean isReserved(String identifier) {
        return RESERVED.contains(identifier.toLowerCase(Locale.ROOT));
    }
}
