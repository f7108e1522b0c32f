package io.timberdb.model.query;

import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Writes queries back as text in a canonical form: keywords in upper case, one space between
 * tokens, {@code tags.<key>} spelled out, durations in their largest exact unit, timestamps in
 * UTC, parentheses only where precedence needs them, ORDER BY with its direction. For every
 * query {@code q}, {@code QueryParser.parse(print(q))} equals {@code q}.
 *
 * <p>Stateless; thread-safe.
 */
public final class QueryPrinter {

    private QueryPrinter() {
    }

    /** The canonical text of {@code q}. */
    public static String print(Query q) {
        StringBuilder out = new StringBuilder();
        if (q.explain()) {
            out.append("EXPLAIN ");
        }
        out.append("SELECT ").append(q.select().stream().map(QueryPrinter::print).collect(Collectors.joining(", ")));
        out.append(" FROM ").append(q.from().isEmpty() ? "*"
                : q.from().stream().map(QueryPrinter::partition).collect(Collectors.joining(", ")));
        if (q.where() != null) {
            out.append(" WHERE ").append(print(q.where()));
        }
        if (!q.groupBy().isEmpty()) {
            out.append(" GROUP BY ").append(q.groupBy().stream().map(k -> print((SelectItem) k))
                    .collect(Collectors.joining(", ")));
        }
        if (q.orderBy() != null) {
            out.append(" ORDER BY ").append(print(q.orderBy().key())).append(q.orderBy().descending() ? " DESC" : " ASC");
        }
        if (q.limit() != null) {
            out.append(" LIMIT ").append(q.limit());
        }
        return out.toString();
    }

    /** The text of a select item, group key or order key, e.g. {@code percentile(tags.latency_ms, 99)}. */
    public static String print(SelectItem item) {
        if (item instanceof Field f) {
            return field(f);
        }
        if (item instanceof Bin b) {
            return "bin(time, " + Durations.print(b.width()) + ")";
        }
        if (item instanceof Aggregate a) {
            return a.function().text() + "(" + (a.field() == null ? "*" : field(a.field()))
                    + (a.parameter() == null ? "" : ", " + a.parameter().toPlainString()) + ")";
        }
        return "*";
    }

    /** The text of a condition. */
    public static String print(Predicate p) {
        if (p instanceof Predicate.Or or) {
            // both operators are left-associative: a right operand of the same operator keeps its parentheses
            return print(or.left()) + " OR " + group(or.right(), or.right() instanceof Predicate.Or);
        }
        if (p instanceof Predicate.And and) {
            return group(and.left(), and.left() instanceof Predicate.Or) + " AND "
                    + group(and.right(), and.right() instanceof Predicate.Or || and.right() instanceof Predicate.And);
        }
        if (p instanceof Predicate.Not not) {
            return "NOT " + group(not.operand(), not.operand() instanceof Predicate.Or
                    || not.operand() instanceof Predicate.And);
        }
        if (p instanceof Predicate.TimeCompare c) {
            return "time " + c.op().symbol() + " " + time(c.value());
        }
        if (p instanceof Predicate.TimeBetween b) {
            return "time BETWEEN " + time(b.from()) + " AND " + time(b.to());
        }
        if (p instanceof Predicate.Compare c) {
            return field(c.field()) + " " + c.op().symbol() + " " + string(c.value());
        }
        if (p instanceof Predicate.In in) {
            return field(in.field()) + " IN (" + in.values().stream().map(QueryPrinter::string)
                    .collect(Collectors.joining(", ")) + ")";
        }
        if (p instanceof Predicate.Exists e) {
            return "EXISTS " + field(e.tag());
        }
        if (p instanceof Predicate.Like l) {
            return field(l.field()) + " LIKE " + string(l.pattern());
        }
        if (p instanceof Predicate.Contains c) {
            return field(c.field()) + (c.ignoreCase() ? " ICONTAINS " : " CONTAINS ") + string(c.text());
        }
        if (p instanceof Predicate.Matches m) {
            return "message MATCHES " + string(print(m.query()));
        }
        Predicate.Regex r = (Predicate.Regex) p;
        return field(r.field()) + " ~ " + string(r.pattern());
    }

    /** The canonical text of a MATCHES search (without the enclosing quotes). */
    public static String print(TextQuery t) {
        if (t instanceof TextQuery.Term term) {
            return term.word();
        }
        if (t instanceof TextQuery.Phrase phrase) {
            return '"' + String.join(" ", phrase.words()) + '"';
        }
        if (t instanceof TextQuery.Wildcard w) {
            return w.pattern();
        }
        if (t instanceof TextQuery.Fuzzy f) {
            return f.word() + "~" + f.maxEdits();
        }
        if (t instanceof TextQuery.Near n) {
            return print(n.left()) + " NEAR/" + n.distance() + " " + print(n.right());
        }
        if (t instanceof TextQuery.Or or) {
            return print(or.left()) + " OR " + group(or.right(), or.right() instanceof TextQuery.Or);
        }
        if (t instanceof TextQuery.And and) {
            return group(and.left(), and.left() instanceof TextQuery.Or) + " AND "
                    + group(and.right(), and.right() instanceof TextQuery.Or || and.right() instanceof TextQuery.And);
        }
        TextQuery.Not not = (TextQuery.Not) t;
        return "NOT " + group(not.operand(), not.operand() instanceof TextQuery.Or || not.operand() instanceof TextQuery.And);
    }

    private static String group(Predicate p, boolean parenthesize) {
        return parenthesize ? "(" + print(p) + ")" : print(p);
    }

    private static String group(TextQuery t, boolean parenthesize) {
        return parenthesize ? "(" + print(t) + ")" : print(t);
    }

    private static String field(Field f) {
        return switch (f.kind()) {
            case TIME -> "time";
            case ID -> "id";
            case SOURCE -> "source";
            case MESSAGE -> "message";
            case TAG -> "tags." + (isPlainName(f.tagKey()) ? f.tagKey() : quoted(f.tagKey()));
        };
    }

    private static String time(TimeValue value) {
        if (value instanceof TimeValue.Absolute a) {
            return string(a.at().toString());
        }
        Duration offset = ((TimeValue.Now) value).offset();
        return offset.isZero() ? "now()" : offset.isNegative()
                ? "now() - " + Durations.print(offset.negated()) : "now() + " + Durations.print(offset);
    }

    private static String partition(String name) {
        return isPlainName(name) && !Cursor.isReserved(name) ? name : quoted(name);
    }

    /** Whether {@code name} is an identifier as the lexer reads it. */
    private static boolean isPlainName(String name) {
        if (name.isEmpty() || !Lexer.isIdentifierStart(name.charAt(0))) {
            return false;
        }
        return name.chars().allMatch(c -> c < 0x80 && Lexer.isIdentifierPart((char) c));
    }

    private static String quoted(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String string(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
