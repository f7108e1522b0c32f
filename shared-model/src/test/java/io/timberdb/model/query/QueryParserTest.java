package io.timberdb.model.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.query.Predicate.And;
import io.timberdb.model.query.Predicate.Compare;
import io.timberdb.model.query.Predicate.Contains;
import io.timberdb.model.query.Predicate.Exists;
import io.timberdb.model.query.Predicate.In;
import io.timberdb.model.query.Predicate.Like;
import io.timberdb.model.query.Predicate.Not;
import io.timberdb.model.query.Predicate.Or;
import io.timberdb.model.query.Predicate.Regex;
import io.timberdb.model.query.Predicate.TimeBetween;
import io.timberdb.model.query.Predicate.TimeCompare;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryParserTest {

    private static Predicate where(String condition) {
        return QueryParser.parse("SELECT * FROM logs WHERE " + condition).where();
    }

    @Test
    void parsesTheSmallestQuery() {
        Query q = QueryParser.parse("SELECT * FROM logs");

        assertThat(q).isEqualTo(new Query(false, List.of(new SelectItem.Star()), List.of("logs"), null, List.of(), null, null));
        assertThat(q.selectsAll()).isTrue();
        assertThat(q.isAggregating()).isFalse();
    }

    @Test
    void keywordsIgnoreCaseAndCommentsAndNewlinesAreSpace() {
        Query q = QueryParser.parse("explain\n  select *   -- everything\n  From logs\nlimit 5");

        assertThat(q.explain()).isTrue();
        assertThat(q.limit()).isEqualTo(5);
    }

    @Test
    void readsFieldListsPartitionListsAndQuotedPartitions() {
        Query q = QueryParser.parse("SELECT time, id, source, message, tags.level, host FROM a, \"my-app-logs\", \"x\"\"y\", \"select\"");

        assertThat(q.select()).containsExactly(Field.TIME, Field.ID, Field.SOURCE, Field.MESSAGE, Field.tag("level"),
                Field.tag("host"));
        assertThat(q.from()).containsExactly("a", "my-app-logs", "x\"y", "select");
    }

    @Test
    void fromStarMeansEveryPartition() {
        assertThat(QueryParser.parse("SELECT * FROM *").from()).isEmpty();
    }

    @Test
    void aTagKeyMayBeQuotedOrAKeywordAfterTagsDot() {
        assertThat(QueryParser.parse("SELECT tags.\"k8s.pod\", tags.source, tags.Level FROM l").select())
                .containsExactly(Field.tag("k8s.pod"), Field.tag("source"), Field.tag("Level"));
    }

    @Test
    void readsTimeConditions() {
        assertThat(where("time >= '2026-11-01T00:00:00Z'")).isEqualTo(new TimeCompare(CompareOp.GE,
                new TimeValue.Absolute(Instant.parse("2026-11-01T00:00:00Z"))));
        assertThat(where("time > now() - 1h")).isEqualTo(new TimeCompare(CompareOp.GT,
                new TimeValue.Now(Duration.ofHours(-1))));
        assertThat(where("time < now() + 250ms")).isEqualTo(new TimeCompare(CompareOp.LT,
                new TimeValue.Now(Duration.ofMillis(250))));
        assertThat(where("time = now()")).isEqualTo(new TimeCompare(CompareOp.EQ, new TimeValue.Now(Duration.ZERO)));
        assertThat(where("time BETWEEN '2026-11-01T01:00:00+01:00' AND now() - 7d")).isEqualTo(new TimeBetween(
                new TimeValue.Absolute(Instant.parse("2026-11-01T00:00:00Z")), new TimeValue.Now(Duration.ofDays(-7))));
        assertThat(where("time NOT BETWEEN now() - 30s AND now()")).isInstanceOf(Not.class);
    }

    @Test
    void readsTextConditions() {
        assertThat(where("source = 'web-01'")).isEqualTo(new Compare(Field.SOURCE, CompareOp.EQ, "web-01"));
        assertThat(where("level <> 'it''s'")).isEqualTo(new Compare(Field.tag("level"), CompareOp.NE, "it's"));
        assertThat(where("tags.level IN ('error', 'warn')")).isEqualTo(new In(Field.tag("level"), List.of("error", "warn")));
        assertThat(where("level NOT IN ('debug')")).isEqualTo(new Not(new In(Field.tag("level"), List.of("debug"))));
        assertThat(where("EXISTS tags.user")).isEqualTo(new Exists(Field.tag("user")));
        assertThat(where("source LIKE 'web-%'")).isEqualTo(new Like(Field.SOURCE, "web-%"));
        assertThat(where("message CONTAINS 'Timeout'")).isEqualTo(new Contains(Field.MESSAGE, "Timeout", false));
        assertThat(where("message ICONTAINS 'timeout'")).isEqualTo(new Contains(Field.MESSAGE, "timeout", true));
        assertThat(where("message NOT CONTAINS 'x'")).isEqualTo(new Not(new Contains(Field.MESSAGE, "x", false)));
        assertThat(where("message ~ 'blk_-?[0-9]+'")).isEqualTo(new Regex(Field.MESSAGE, "blk_-?[0-9]+"));
        assertThat(where("source !~ '^db'")).isEqualTo(new Not(new Regex(Field.SOURCE, "^db")));
        assertThat(where("message MATCHES 'error'"))
                .isEqualTo(new Predicate.Matches(new TextQuery.Term("error")));
    }

    @Test
    void notBindsTighterThanAndWhichBindsTighterThanOr() {
        Predicate a = new Compare(Field.SOURCE, CompareOp.EQ, "a");
        Predicate b = new Compare(Field.SOURCE, CompareOp.EQ, "b");
        Predicate c = new Compare(Field.SOURCE, CompareOp.EQ, "c");

        assertThat(where("source = 'a' OR source = 'b' AND NOT source = 'c'"))
                .isEqualTo(new Or(a, new And(b, new Not(c))));
        assertThat(where("(source = 'a' OR source = 'b') AND source = 'c'")).isEqualTo(new And(new Or(a, b), c));
        assertThat(where("source = 'a' AND source = 'b' AND source = 'c'")).isEqualTo(new And(new And(a, b), c));
    }

    @Test
    void betweenTakesTheFirstAndOfItsOwn() {
        assertThat(where("time BETWEEN now() - 1h AND now() AND source = 'x'")).isEqualTo(new And(
                new TimeBetween(new TimeValue.Now(Duration.ofHours(-1)), new TimeValue.Now(Duration.ZERO)),
                new Compare(Field.SOURCE, CompareOp.EQ, "x")));
    }

    @Test
    void readsAggregatesGroupByOrderByAndLimit() {
        Query q = QueryParser.parse("SELECT bin(time, 5m), source, count(*), count(user), count_distinct(tags.user),"
                + " min(latency), max(latency), avg(latency), sum(bytes), percentile(latency, 99.9), top(tags.path, 10)"
                + " FROM logs GROUP BY bin(time, 300s), source ORDER BY count(*) DESC LIMIT 20");

        Aggregate count = Aggregate.countAll();
        assertThat(q.select()).containsExactly(new Bin(Duration.ofMinutes(5)), Field.SOURCE, count,
                new Aggregate(Aggregate.Function.COUNT, Field.tag("user"), null),
                new Aggregate(Aggregate.Function.COUNT_DISTINCT, Field.tag("user"), null),
                new Aggregate(Aggregate.Function.MIN, Field.tag("latency"), null),
                new Aggregate(Aggregate.Function.MAX, Field.tag("latency"), null),
                new Aggregate(Aggregate.Function.AVG, Field.tag("latency"), null),
                new Aggregate(Aggregate.Function.SUM, Field.tag("bytes"), null),
                new Aggregate(Aggregate.Function.PERCENTILE, Field.tag("latency"), new BigDecimal("99.9")),
                new Aggregate(Aggregate.Function.TOP, Field.tag("path"), BigDecimal.TEN));
        assertThat(q.groupBy()).containsExactly(new Bin(Duration.ofMinutes(5)), Field.SOURCE);
        assertThat(q.orderBy()).isEqualTo(new OrderBy(count, true));
        assertThat(q.limit()).isEqualTo(20);
        assertThat(q.isAggregating()).isTrue();
    }

    @Test
    void orderByWithoutDirectionIsAscending() {
        assertThat(QueryParser.parse("SELECT * FROM l ORDER BY time").orderBy()).isEqualTo(new OrderBy(Field.TIME, false));
        assertThat(QueryParser.parse("SELECT * FROM l ORDER BY time DESC").orderBy()).isEqualTo(new OrderBy(Field.TIME, true));
    }

    @Test
    void anAggregateWithoutGroupByIsOneRow() {
        Query q = QueryParser.parse("SELECT count(*) FROM l WHERE level = 'error'");

        assertThat(q.isAggregating()).isTrue();
        assertThat(q.groupBy()).isEmpty();
    }

    @Test
    void printsWhatItParses() {
        String text = "EXPLAIN SELECT bin(time, 60m), tags.level, count(*), percentile(tags.latency, 99.5) FROM a, \"b-c\""
                + " WHERE (source = 'x' OR source LIKE 'web\\_%') AND NOT tags.\"k.8\" IN ('a', 'it''s')"
                + " AND time BETWEEN '2026-11-01T00:00:00Z' AND now() - 90m AND message MATCHES 'error \"disk full\" NEAR/3 write*'"
                + " GROUP BY bin(time, 1h), tags.level ORDER BY time DESC LIMIT 10";

        String printed = QueryPrinter.print(QueryParser.parse(text));

        assertThat(printed).isEqualTo("EXPLAIN SELECT bin(time, 1h), tags.level, count(*), percentile(tags.latency, 99.5)"
                + " FROM a, \"b-c\" WHERE (source = 'x' OR source LIKE 'web\\_%') AND NOT tags.\"k.8\" IN ('a', 'it''s')"
                + " AND time BETWEEN '2026-11-01T00:00:00Z' AND now() - 90m"
                + " AND message MATCHES 'error AND \"disk full\" NEAR/3 write*'"
                + " GROUP BY bin(time, 1h), tags.level ORDER BY time DESC LIMIT 10");
        assertThat(QueryParser.parse(printed)).isEqualTo(QueryParser.parse(text));
    }
}
