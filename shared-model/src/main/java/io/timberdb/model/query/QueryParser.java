package io.timberdb.model.query;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.query.Token.Kind;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses query text into a {@link Query} by recursive descent, and checks it: a query it returns
 * can run. The grammar is in {@code docs/query-language.md}.
 *
 * <p>Errors are {@link io.timberdb.model.error.TimberException}s with the code
 * {@link ErrorCode#QUERY_SYNTAX} (the text is not well-formed; the problem carries {@code line},
 * {@code column}, {@code expected} and {@code found}) or {@link ErrorCode#QUERY_INVALID}
 * (well-formed but meaningless, e.g. ORDER BY an aggregate that is not selected; the problem
 * carries {@code line} and {@code column}), both with the field {@code query}.
 *
 * <p>{@link #parse} is thread-safe: each call parses with its own instance, which is not.
 */
public final class QueryParser {

    private final Cursor in;
    /** Where each select item starts, for the checks' errors. */
    private final List<Integer> selectOffsets = new ArrayList<>();
    /** Where the ORDER BY key starts. */
    private int orderOffset;

    private QueryParser(String text) {
        this.in = new Cursor(text);
    }

    /** The query {@code text} says. */
    public static Query parse(String text) {
        return new QueryParser(text).query();
    }

    private Query query() {
        boolean explain = in.accept("explain");
        in.expectKeyword("select");
        List<SelectItem> select = selectList();
        in.expectKeyword("from");
        List<String> from = fromList();
        Predicate where = in.accept("where") ? new PredicateParser(in).predicate() : null;
        List<GroupKey> groupBy = List.of();
        if (in.accept("group")) {
            in.expectKeyword("by");
            groupBy = groupBy();
        }
        OrderBy orderBy = null;
        if (in.accept("order")) {
            in.expectKeyword("by");
            orderBy = orderBy();
        }
        Integer limit = null;
        if (in.accept("limit")) {
            limit = limit();
        }
        if (!in.at(Kind.EOF)) {
            List<String> next = new ArrayList<>();
            boolean afterWhere = where != null && groupBy.isEmpty() && orderBy == null && limit == null;
            if (afterWhere) {
                next.addAll(List.of("AND", "OR"));
            }
            if (where == null && groupBy.isEmpty() && orderBy == null && limit == null) {
                next.add("WHERE");
            }
            if (groupBy.isEmpty() && orderBy == null && limit == null) {
                next.add("GROUP BY");
            }
            if (orderBy == null && limit == null) {
                next.add("ORDER BY");
            }
            if (limit == null) {
                next.add("LIMIT");
            }
            next.add(Kind.EOF.description);
            throw in.expected(next.toArray(String[]::new));
        }
        Query query = new Query(explain, select, from, where, groupBy, orderBy, limit);
        check(query);
        return query;
    }

    private List<SelectItem> selectList() {
        if (in.at(Kind.STAR)) {
            selectOffsets.add(in.next().start());
            return List.of(new SelectItem.Star());
        }
        List<SelectItem> items = new ArrayList<>();
        do {
            selectOffsets.add(in.peek().start());
            items.add(selectItem());
        } while (in.accept(Kind.COMMA));
        return items;
    }

    private SelectItem selectItem() {
        Token t = in.peek();
        if (t.kind() == Kind.IDENTIFIER && in.peek(1).kind() == Kind.LPAREN) {
            return t.is("bin") ? bin() : aggregate();
        }
        if (t.kind() != Kind.IDENTIFIER) {
            throw in.expected("'*'", "a field", "an aggregate", "bin(time, <duration>)");
        }
        return in.field();
    }

    private Bin bin() {
        in.expectKeyword("bin");
        in.expect(Kind.LPAREN);
        in.expectKeyword("time");
        in.expect(Kind.COMMA);
        int at = in.peek().start();
        Duration width = in.duration();
        if (width.isZero()) {
            throw in.invalid(at, "a bin width is positive");
        }
        in.expect(Kind.RPAREN);
        return new Bin(width);
    }

    private Aggregate aggregate() {
        Token name = in.next();
        Aggregate.Function function = Arrays.stream(Aggregate.Function.values())
                .filter(f -> f.text().equalsIgnoreCase(name.value())).findFirst()
                .orElseThrow(() -> in.unknownFunction(name));
        in.expect(Kind.LPAREN);
        Field field = null;
        if (!(function == Aggregate.Function.COUNT && in.accept(Kind.STAR))) {
            int at = in.peek().start();
            field = in.field();
            if (field.equals(Field.TIME)) {
                throw in.invalid(at, function.text() + "(time) is not an aggregate; group by bin(time, <duration>)"
                        + " and count(*) instead");
            }
            if (function.isNumeric() && field.kind() != Field.Kind.TAG) {
                throw in.invalid(at, function.text() + " reads numeric tag values: its argument is a tag, e.g. tags.latency_ms");
            }
        }
        BigDecimal parameter = null;
        if (function.hasParameter()) {
            in.expect(Kind.COMMA);
            Token number = in.expect(Kind.NUMBER);
            parameter = new BigDecimal(number.value());
            if (function == Aggregate.Function.PERCENTILE && parameter.compareTo(BigDecimal.valueOf(100)) > 0) {
                throw in.invalid(number.start(), "a percentile is between 0 and 100, not " + number.value());
            }
            if (function == Aggregate.Function.TOP && (parameter.scale() > 0 || parameter.signum() == 0
                    || parameter.compareTo(BigDecimal.valueOf(10_000)) > 0)) {
                throw in.invalid(number.start(), "top takes a whole number of values from 1 to 10000, not " + number.value());
            }
        }
        in.expect(Kind.RPAREN);
        return new Aggregate(function, field, parameter);
    }

    private List<String> fromList() {
        if (in.accept(Kind.STAR)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        do {
            Token t = in.peek();
            boolean plain = t.kind() == Kind.IDENTIFIER && !Cursor.isReserved(t.value());
            if (!plain && (t.kind() != Kind.QUOTED_IDENTIFIER || t.value().isEmpty())) {
                throw in.expected("'*'", "a partition name (a name, or \"quoted\" when it has other characters or is a keyword)");
            }
            names.add(in.next().value());
            if (plain && (in.at(Kind.MINUS) || in.at(Kind.DOT)) && in.peek().start() == in.peek(-1).end()) {
                throw QueryErrors.syntax(in.text, t.start(), List.of("a partition name with '-' or '.' in double quotes"
                        + " (\"" + t.value() + in.peek().value() + "...\")"), "'" + t.value() + in.peek().value() + "'");
            }
        } while (in.accept(Kind.COMMA));
        return names;
    }

    private List<GroupKey> groupBy() {
        List<GroupKey> keys = new ArrayList<>();
        do {
            Token t = in.peek();
            GroupKey key = t.is("bin") ? bin() : in.field();
            if (key instanceof Field f && f.kind() != Field.Kind.SOURCE && f.kind() != Field.Kind.TAG) {
                throw in.invalid(t.start(), "GROUP BY takes bin(time, <duration>), source or tags.<key>, not " + t.value());
            }
            if (key instanceof Bin && keys.stream().anyMatch(Bin.class::isInstance)) {
                throw in.invalid(t.start(), "GROUP BY takes one bin(time, <duration>)");
            }
            if (keys.contains(key)) {
                throw in.invalid(t.start(), "GROUP BY names this key twice");
            }
            keys.add(key);
        } while (in.accept(Kind.COMMA));
        return keys;
    }

    private OrderBy orderBy() {
        Token t = in.peek();
        SelectItem key;
        if (t.is("time") && in.peek(1).kind() != Kind.LPAREN) {
            in.next();
            key = Field.TIME;
        } else if (t.kind() == Kind.IDENTIFIER && in.peek(1).kind() == Kind.LPAREN && !t.is("bin")) {
            key = aggregate();
            if (((Aggregate) key).function() == Aggregate.Function.TOP) {
                throw in.invalid(t.start(), "top(...) is a list of values: order by count(*) or another single-valued aggregate");
            }
        } else {
            throw in.expected("time", "an aggregate");
        }
        boolean descending = in.accept("desc");
        if (!descending) {
            in.accept("asc");
        }
        orderOffset = t.start();
        return new OrderBy(key, descending);
    }

    private Integer limit() {
        Token t = in.peek();
        if (t.kind() != Kind.NUMBER || t.value().contains(".")) {
            throw in.expected("a whole number");
        }
        in.next();
        if (t.value().length() > 7 || Integer.parseInt(t.value()) < 1 || Integer.parseInt(t.value()) > Query.MAX_LIMIT) {
            throw in.invalid(t.start(), "LIMIT is between 1 and " + Query.MAX_LIMIT + ", not " + t.value());
        }
        return Integer.parseInt(t.value());
    }

    /** The rules that span clauses. */
    private void check(Query q) {
        if (q.isAggregating()) {
            for (int i = 0; i < q.select().size(); i++) {
                SelectItem item = q.select().get(i);
                if (item instanceof SelectItem.Star) {
                    throw in.invalid(selectOffsets.get(i), "SELECT * cannot be grouped: select the GROUP BY keys and aggregates");
                }
                if (item instanceof GroupKey key && !q.groupBy().contains(key)) {
                    throw in.invalid(selectOffsets.get(i), describe(item) + " is neither a GROUP BY key nor aggregated");
                }
            }
        } else {
            for (int i = 0; i < q.select().size(); i++) {
                if (q.select().get(i) instanceof Bin bin) {
                    throw in.invalid(selectOffsets.get(i), describe(bin) + " needs GROUP BY " + describe(bin));
                }
            }
        }
        OrderBy order = q.orderBy();
        if (order == null) {
            return;
        }
        if (order.key() instanceof Aggregate && !q.select().contains(order.key())) {
            throw in.invalid(orderOffset, "ORDER BY " + describe(order.key()) + " needs "
                    + describe(order.key()) + " in the SELECT list");
        }
        if (order.key().equals(Field.TIME) && q.isAggregating() && q.groupBy().stream().noneMatch(Bin.class::isInstance)) {
            throw in.invalid(orderOffset, "ORDER BY time in a grouped query needs GROUP BY bin(time, <duration>)");
        }
    }

    private static String describe(SelectItem item) {
        return QueryPrinter.print(item);
    }
}
