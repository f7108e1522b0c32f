package io.timberdb.model.query;

import com.google.re2j.PatternSyntaxException;
import io.timberdb.model.query.Token.Kind;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a WHERE condition. Precedence, loosest first: {@code OR}, {@code AND}, {@code NOT};
 * parentheses group. Not thread-safe: one per parse.
 */
final class PredicateParser {

    private static final String[] TEXT_OPERATORS = {"'='", "'!='", "IN", "LIKE", "CONTAINS", "ICONTAINS",
        "MATCHES", "'~'", "'!~'", "NOT"};
    private static final String[] NEGATABLE = {"IN", "LIKE", "CONTAINS", "ICONTAINS", "MATCHES"};

    private final Cursor in;

    PredicateParser(Cursor in) {
        this.in = in;
    }

    Predicate predicate() {
        Predicate left = and();
        while (in.accept("or")) {
            left = new Predicate.Or(left, and());
        }
        return left;
    }

    private Predicate and() {
        Predicate left = unary();
        while (in.accept("and")) {
            left = new Predicate.And(left, unary());
        }
        return left;
    }

    private Predicate unary() {
        if (in.accept("not")) {
            return new Predicate.Not(unary());
        }
        if (in.accept(Kind.LPAREN)) {
            Predicate inner = predicate();
            if (!in.at(Kind.RPAREN)) {
                throw in.expected("AND", "OR", "')'");
            }
            in.next();
            return inner;
        }
        return condition();
    }

    private Predicate condition() {
        if (in.accept("exists")) {
            int at = in.peek().start();
            Field tag = in.field();
            if (tag.kind() != Field.Kind.TAG) {
                throw in.invalid(at, "EXISTS takes a tag (every entry has time, id, source and message)");
            }
            return new Predicate.Exists(tag);
        }
        if (!in.at(Kind.IDENTIFIER)) {
            throw in.expected("a field", "NOT", "EXISTS", "'('");
        }
        int at = in.peek().start();
        Field field = in.field();
        return field.equals(Field.TIME) ? timeCondition() : textCondition(field, at);
    }

    private Predicate timeCondition() {
        boolean negated = in.accept("not");
        if (in.accept("between")) {
            TimeValue from = timeValue();
            in.expectKeyword("and");
            Predicate between = new Predicate.TimeBetween(from, timeValue());
            return negated ? new Predicate.Not(between) : between;
        }
        if (negated) {
            throw in.expected("BETWEEN");
        }
        CompareOp op = switch (in.peek().kind()) {
            case EQ -> CompareOp.EQ;
            case NE -> CompareOp.NE;
            case LT -> CompareOp.LT;
            case LE -> CompareOp.LE;
            case GT -> CompareOp.GT;
            case GE -> CompareOp.GE;
            default -> throw in.expected("'='", "'!='", "'<'", "'<='", "'>'", "'>='", "BETWEEN", "NOT BETWEEN");
        };
        in.next();
        return new Predicate.TimeCompare(op, timeValue());
    }

    private TimeValue timeValue() {
        if (in.at(Kind.STRING)) {
            Token t = in.next();
            try {
                return new TimeValue.Absolute(parseInstant(t.value()));
            } catch (DateTimeParseException e) {
                throw QueryErrors.syntax(in.text, t.start(), List.of("an RFC 3339 timestamp such as '2026-11-01T00:00:00Z'"),
                        t.describe());
            }
        }
        if (!in.atKeyword("now")) {
            throw in.expected("a timestamp ('2026-11-01T00:00:00Z')", "now()");
        }
        in.next();
        in.expect(Kind.LPAREN);
        in.expect(Kind.RPAREN);
        Duration offset = Duration.ZERO;
        if (in.accept(Kind.MINUS)) {
            offset = in.duration().negated();
        } else if (in.accept(Kind.PLUS)) {
            offset = in.duration();
        }
        return new TimeValue.Now(offset);
    }

    static Instant parseInstant(String text) {
        return OffsetDateTime.parse(text).toInstant();
    }

    private Predicate textCondition(Field field, int at) {
        Token op = in.peek();
        switch (op.kind()) {
            case EQ, NE -> {
                in.next();
                return new Predicate.Compare(field, op.kind() == Kind.EQ ? CompareOp.EQ : CompareOp.NE, string().value());
            }
            case TILDE, NOT_TILDE -> {
                in.next();
                Predicate regex = new Predicate.Regex(field, regex());
                return op.kind() == Kind.TILDE ? regex : new Predicate.Not(regex);
            }
            case LT, LE, GT, GE -> throw in.invalid(op.start(), "'" + op.value()
                    + "' compares time only; text fields take =, !=, IN, LIKE, CONTAINS, ICONTAINS, MATCHES and ~");
            case IDENTIFIER -> {
                boolean negated = in.accept("not");
                Predicate p = keywordCondition(field, at, negated);
                return negated ? new Predicate.Not(p) : p;
            }
            default -> throw in.expected(TEXT_OPERATORS);
        }
    }

    private Predicate keywordCondition(Field field, int at, boolean negated) {
        Token op = in.next();
        if (op.is("in")) {
            in.expect(Kind.LPAREN);
            List<String> values = new ArrayList<>();
            do {
                values.add(string().value());
            } while (in.accept(Kind.COMMA));
            if (!in.at(Kind.RPAREN)) {
                throw in.expected("','", "')'");
            }
            in.next();
            return new Predicate.In(field, values);
        }
        if (op.is("like")) {
            Token pattern = string();
            int bad = Glob.badLikeEscape(pattern.value());
            if (bad >= 0) {
                throw in.invalid(Lexer.sourceOffset(in.text, pattern, bad),
                        "in a LIKE pattern, \\ escapes only %, _ and \\ itself");
            }
            return new Predicate.Like(field, pattern.value());
        }
        if (op.is("contains") || op.is("icontains")) {
            return new Predicate.Contains(field, string().value(), op.is("icontains"));
        }
        if (op.is("matches")) {
            if (field.kind() != Field.Kind.MESSAGE) {
                throw in.invalid(at, "MATCHES searches the words of message only; use =, LIKE or ~ on other fields");
            }
            Token search = string();
            return new Predicate.Matches(TextQueryParser.parse(in.text, search));
        }
        in.back();
        throw negated ? in.expected(NEGATABLE) : in.expected(TEXT_OPERATORS);
    }

    private String regex() {
        Token t = string();
        try {
            com.google.re2j.Pattern.compile(t.value());
        } catch (PatternSyntaxException e) {
            throw in.invalid(t.start(), "not a valid RE2 regular expression: " + e.getDescription());
        }
        return t.value();
    }

    private Token string() {
        if (!in.at(Kind.STRING)) {
            throw in.expected("a string ('...')");
        }
        return in.next();
    }
}
