package io.timberdb.model.query;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of valid query ASTs, for the property tests. */
final class QueryArbitraries {

    private QueryArbitraries() {
    }

    /** Names and values, with the characters that need quoting or escaping now and then. */
    static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.of("web-01", "level", "Level", "error", "select", "it's", "a\"b", "", "日本", "x y", "\n"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(8),
                Arbitraries.strings().all().ofMaxLength(4));
    }

    static Arbitrary<String> name() {
        return text().filter(s -> !s.isEmpty());
    }

    static Arbitrary<Field> textField() {
        return Arbitraries.oneOf(Arbitraries.of(Field.ID, Field.SOURCE, Field.MESSAGE), name().map(Field::tag));
    }

    static Arbitrary<Field> tag() {
        return name().map(Field::tag);
    }

    static Arbitrary<Duration> duration(long maxMillis) {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(1, maxMillis),
                Arbitraries.longs().between(1, 500).map(n -> n * 60_000),
                Arbitraries.longs().between(1, 500).map(n -> n * 86_400_000)).map(Duration::ofMillis);
    }

    static Arbitrary<TimeValue> timeValue() {
        Arbitrary<TimeValue> absolute = Combinators.combine(
                Arbitraries.longs().between(0, 4_102_444_800L), Arbitraries.integers().between(0, 999_999_999))
                .as((s, n) -> new TimeValue.Absolute(Instant.ofEpochSecond(s, n)));
        Arbitrary<TimeValue> now = Combinators.combine(duration(Durations.MAX_MILLIS), Arbitraries.of(-1, 0, 1))
                .as((d, sign) -> new TimeValue.Now(sign == 0 ? Duration.ZERO : sign < 0 ? d.negated() : d));
        return Arbitraries.oneOf(absolute, now);
    }

    static Arbitrary<String> word() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("abcxyz0189").ofMinLength(1).ofMaxLength(6),
                Arbitraries.of("é", "日本", "naïve", "and", "not", "near"));
    }

    static Arbitrary<TextQuery.Atom> atom() {
        return Arbitraries.oneOf(
                word().map(TextQuery.Term::new),
                word().list().ofMinSize(2).ofMaxSize(4).map(TextQuery.Phrase::new),
                Combinators.combine(word(), Arbitraries.of("*", "?", "*x", "?1*")).as((w, p) -> new TextQuery.Wildcard(w + p)),
                Combinators.combine(word(), Arbitraries.integers().between(0, 2)).as(TextQuery.Fuzzy::new));
    }

    static Arbitrary<TextQuery> textQuery(int depth) {
        return booleans(Arbitraries.oneOf(atom().map(a -> (TextQuery) a),
                Combinators.combine(atom(), atom(), Arbitraries.integers().between(0, 1000)).as(TextQuery.Near::new)), depth);
    }

    /** Searches of up to {@code depth} levels of AND, OR and NOT over {@code leaves}. */
    static Arbitrary<TextQuery> booleans(Arbitrary<TextQuery> leaves, int depth) {
        return depth == 0 ? leaves
                : booleans(booleans(leaves, depth - 1), TextQuery.And::new, TextQuery.Or::new, TextQuery.Not::new);
    }

    static Arbitrary<Predicate> condition() {
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(CompareOp.values()), timeValue()).as(Predicate.TimeCompare::new),
                Combinators.combine(timeValue(), timeValue()).as(Predicate.TimeBetween::new),
                Combinators.combine(textField(), Arbitraries.of(CompareOp.EQ, CompareOp.NE), text()).as(Predicate.Compare::new),
                Combinators.combine(textField(), text().list().ofMinSize(1).ofMaxSize(3)).as(Predicate.In::new),
                tag().map(Predicate.Exists::new),
                Combinators.combine(textField(), Arbitraries.of("web-%", "a\\_b", "%", "_x\\%", "\\\\", "it''s")).as(Predicate.Like::new),
                Combinators.combine(textField(), text(), Arbitraries.of(true, false)).as(Predicate.Contains::new),
                textQuery(2).map(Predicate.Matches::new),
                Combinators.combine(textField(), Arbitraries.of("^web-\\d+$", "blk_-?[0-9]+", "(?i)error", "a|b", "'"))
                        .as(Predicate.Regex::new));
    }

    static Arbitrary<Predicate> predicate(int depth) {
        if (depth == 0) {
            return condition();
        }
        return booleans(predicate(depth - 1), Predicate.And::new, Predicate.Or::new, Predicate.Not::new);
    }

    /** {@code sub} and its AND, OR and NOT combinations. */
    private static <T> Arbitrary<T> booleans(Arbitrary<T> sub, BinaryOperator<T> and, BinaryOperator<T> or,
                                             UnaryOperator<T> not) {
        return Arbitraries.oneOf(sub, Combinators.combine(sub, sub).as(and::apply),
                Combinators.combine(sub, sub).as(or::apply), sub.map(not));
    }

    static Arbitrary<Aggregate> aggregate() {
        return Arbitraries.oneOf(
                Arbitraries.just(Aggregate.countAll()),
                textField().map(f -> new Aggregate(Aggregate.Function.COUNT, f, null)),
                textField().map(f -> new Aggregate(Aggregate.Function.COUNT_DISTINCT, f, null)),
                Combinators.combine(Arbitraries.of(Aggregate.Function.MIN, Aggregate.Function.MAX, Aggregate.Function.AVG,
                        Aggregate.Function.SUM), tag()).as((fn, f) -> new Aggregate(fn, f, null)),
                Combinators.combine(tag(), Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.valueOf(100))
                        .ofScale(2).map(BigDecimal::stripTrailingZeros)).as((f, p) -> new Aggregate(Aggregate.Function.PERCENTILE, f,
                        p.scale() < 0 ? p.setScale(0) : p)),
                Combinators.combine(textField(), Arbitraries.integers().between(1, 10_000))
                        .as((f, k) -> new Aggregate(Aggregate.Function.TOP, f, BigDecimal.valueOf(k))));
    }

    static Arbitrary<Query> query() {
        Arbitrary<List<String>> from = Arbitraries.oneOf(Arbitraries.just(List.of()), name().list().ofMinSize(1).ofMaxSize(3));
        Arbitrary<Predicate> where = Arbitraries.oneOf(Arbitraries.just((Predicate) null), predicate(2));
        Arbitrary<Integer> limit = Arbitraries.oneOf(Arbitraries.just((Integer) null),
                Arbitraries.integers().between(1, Query.MAX_LIMIT));
        Arbitrary<Query> plain = Combinators.combine(Arbitraries.of(true, false),
                Arbitraries.oneOf(Arbitraries.just(List.<SelectItem>of(new SelectItem.Star())),
                        Arbitraries.oneOf(Arbitraries.just(Field.TIME), textField()).map(f -> (SelectItem) f).list().ofMinSize(1).ofMaxSize(4)),
                from, where, Arbitraries.oneOf(Arbitraries.just((OrderBy) null), Arbitraries.of(true, false).map(d -> new OrderBy(Field.TIME, d))),
                limit).as((explain, select, f, w, order, l) -> new Query(explain, select, f, w, List.of(), order, l));
        Arbitrary<Query> grouped = Combinators.combine(Arbitraries.of(true, false), groupKeys(), aggregate().list().ofMaxSize(3),
                from, where, Arbitraries.integers().between(0, 9), limit).as(QueryArbitraries::grouped)
                .filter(q -> q != null);
        return Arbitraries.oneOf(plain, grouped);
    }

    private static Arbitrary<List<GroupKey>> groupKeys() {
        Arbitrary<GroupKey> key = Arbitraries.oneOf(
                Arbitraries.just(Field.SOURCE), tag(), duration(10_000_000).map(Bin::new));
        return key.list().ofMaxSize(3).uniqueElements().filter(keys -> keys.stream().filter(Bin.class::isInstance).count() <= 1);
    }

    /** A valid grouped query, or null when the pieces cannot make one. */
    private static Query grouped(boolean explain, List<GroupKey> keys, List<Aggregate> aggregates, List<String> from,
                                 Predicate where, int orderChoice, Integer limit) {
        List<SelectItem> select = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if ((orderChoice + i) % 2 == 0) {
                select.add((SelectItem) keys.get(i));
            }
        }
        select.addAll(aggregates);
        if (select.isEmpty() || aggregates.isEmpty() && keys.isEmpty()) {
            return null;
        }
        OrderBy order = null;
        if (orderChoice < aggregates.size() && aggregates.get(orderChoice).function() != Aggregate.Function.TOP) {
            order = new OrderBy(aggregates.get(orderChoice), orderChoice % 2 == 0);
        } else if (orderChoice > 6 && keys.stream().anyMatch(Bin.class::isInstance)) {
            order = new OrderBy(Field.TIME, orderChoice == 8);
        }
        return new Query(explain, select, from, where, keys, order, limit);
    }
}
