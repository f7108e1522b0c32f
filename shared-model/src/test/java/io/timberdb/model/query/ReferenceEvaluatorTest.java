package io.timberdb.model.query;

import static io.timberdb.model.query.LogFixtures.H1;
import static io.timberdb.model.query.LogFixtures.H2;
import static io.timberdb.model.query.LogFixtures.H3;
import static io.timberdb.model.query.LogFixtures.H4;
import static io.timberdb.model.query.LogFixtures.S1;
import static io.timberdb.model.query.LogFixtures.S2;
import static io.timberdb.model.query.LogFixtures.S3;
import static io.timberdb.model.query.LogFixtures.S4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.query.QueryResult.TopValue;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceEvaluatorTest {

    private final ReferenceEvaluator evaluator =
            new ReferenceEvaluator(InstantSource.fixed(LogFixtures.NOW), Duration.ofMinutes(1));

    private QueryResult run(String query) {
        return evaluator.evaluate(QueryParser.parse(query), LogFixtures.PARTITIONS);
    }

    private List<String> ids(String where) {
        return run("SELECT * FROM * WHERE " + where).entries().stream().map(LogEntry::id).toList();
    }

    private static Instant at(String time) {
        return Instant.parse("2026-11-26T" + time + "Z");
    }

    @Test
    void answersEntriesNewestFirstWithTiesByIdDescending() {
        QueryResult r = run("SELECT * FROM *");

        assertThat(r.entries()).containsExactly(S4, S3, S2, S1, H4, H3, H2, H1);
        assertThat(r.matched()).isEqualTo(8);
        assertThat(r.columns()).containsExactly("time", "id", "source", "tags", "message");
        assertThat(r.rows().get(0)).containsExactly(S4.timestamp(), "s4", "sshd-web", S4.tags(), S4.message());
    }

    @Test
    void orderByTimeAscIsTheExactReverseAndLimitCutsAfterOrdering() {
        assertThat(run("SELECT * FROM * ORDER BY time ASC").entries()).containsExactly(H1, H2, H3, H4, S1, S2, S3, S4);
        QueryResult limited = run("SELECT * FROM * LIMIT 3");
        assertThat(limited.entries()).containsExactly(S4, S3, S2);
        assertThat(limited.matched()).isEqualTo(8);
    }

    @Test
    void readsOnlyThePartitionsOfFrom() {
        assertThat(run("SELECT * FROM \"open-ssh\", \"open-ssh\"").entries()).containsExactly(S4, S3, S2, S1);
        assertThatThrownBy(() -> run("SELECT * FROM nginx")).isInstanceOfSatisfying(TimberException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PARTITION_NOT_FOUND));
    }

    @Test
    void projectsTheSelectedFieldsWithNullForAnAbsentTag() {
        QueryResult r = run("SELECT time, source, level FROM \"open-ssh\" WHERE pid = '5'");

        assertThat(r.columns()).containsExactly("time", "source", "tags.level");
        assertThat(r.rows()).containsExactly(List.of(at("11:59:30"), "sshd-web", "INFO"),
                Arrays.asList(at("11:59:00"), "sshd-web", null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            level = 'WARN'                                                     | s1 h4
            level != 'INFO'                                                    | s3 s1 h4
            NOT EXISTS level                                                   | s3
            source LIKE 'sshd-%'                                               | s4 s3 s2 s1
            source LIKE 'hdfs-dn-_'                                            | h4 h2 h1
            source LIKE 'hdfs\\_%'                                             |
            source IN ('hdfs-nn', 'sshd-web')                                  | s4 s3 h3
            source NOT IN ('hdfs-nn', 'sshd-web', 'sshd-lab')                  | h4 h2 h1
            time > now() - 1h                                                  | s4 s3 s2 s1 h4 h3 h2
            time >= now() - 1h                                                 | s4 s3 s2 s1 h4 h3 h2 h1
            time BETWEEN '2026-11-26T11:05:00Z' AND '2026-11-26T11:30:00Z'     | s2 s1 h4
            time NOT BETWEEN '2026-11-26T11:01:00Z' AND now()                  | h1
            time = '2026-11-26T12:05:00+01:00'                                 | s1 h4
            message CONTAINS 'blk_-1608999687919862906'                        | h4 h2
            message CONTAINS 'failed'                                          |
            message ICONTAINS 'FAIL'                                           | s3 s1
            message ~ 'port [0-9]{5} ssh2$'                                    | s2 s1
            source ~ '^hdfs-dn'                                                | h4 h2 h1
            source !~ 'd'                                                      |
            id ~ '^s' AND NOT message ~ '(?i)PASSWORD'                         | s4 s3
            (source = 'hdfs-nn' OR level = 'WARN') AND time < now() - 55m      | h3
            source = 'hdfs-nn' OR level = 'WARN' AND time < now() - 55m        | h3
            message MATCHES 'password AND NOT invalid'                         | s2
            message MATCHES '"connection reset"'                               | h4
            message MATCHES 'blk_38865049064139660'                            | h1
            message MATCHES 'recei*'                                           | s4 h4 h2
            message MATCHES 'pasword~1'                                        | s2 s1
            message MATCHES 'failed NEAR/3 admin'                              |
            message MATCHES 'admin NEAR/4 failed'                              | s1
            message MATCHES '173.234.31.186 OR 10.251.73.220'                  | s4 s3 s1 h3
            """)
    void selectsTheEntriesEachConditionDescribes(String where, String expected) {
        List<String> want = expected == null ? List.of() : List.of(expected.split(" "));

        assertThat(ids(where)).isEqualTo(want);
    }

    @Test
    void aggregatesWithoutGroupByAnswerOneRowEvenOverNoEntries() {
        assertThat(run("SELECT count(*) FROM *").rows()).containsExactly(List.of(8L));
        QueryResult none = run("SELECT count(*), sum(latency_ms) FROM hdfs WHERE level = 'ERROR'");
        assertThat(none.rows()).containsExactly(Arrays.asList(0L, null));
        assertThat(none.matched()).isZero();
        assertThat(none.entries()).isEmpty();
    }

    @Test
    void numericAggregatesReadTheTagValuesThatAreNumbers() {
        QueryResult r = run("SELECT min(latency_ms), max(latency_ms), sum(latency_ms), avg(latency_ms),"
                + " percentile(latency_ms, 50), count(latency_ms), sum(pid) FROM hdfs");

        // latency_ms: 12, 30, 7.5 and 'n/a', which is skipped by all but count
        List<Object> row = r.rows().get(0);
        assertThat((BigDecimal) row.get(0)).isEqualByComparingTo("7.5");
        assertThat((BigDecimal) row.get(1)).isEqualByComparingTo("30");
        assertThat((BigDecimal) row.get(2)).isEqualByComparingTo("49.5");
        assertThat((BigDecimal) row.get(3)).isEqualByComparingTo("16.5");
        assertThat((BigDecimal) row.get(4)).isEqualByComparingTo("12");
        assertThat(row.get(5)).isEqualTo(4L);
        assertThat(row.get(6)).isNull();
    }

    @ParameterizedTest(name = "p{0} of 7.5, 12, 30 is {1}")
    @CsvSource({"0, 7.5", "33.33, 7.5", "33.34, 12", "50, 12", "66.66, 12", "66.67, 30", "100, 30"})
    void percentileIsTheNearestRank(String p, String expected) {
        QueryResult r = run("SELECT percentile(latency_ms, " + p + ") FROM hdfs");

        assertThat((BigDecimal) r.rows().get(0).get(0)).isEqualByComparingTo(expected);
    }

    @Test
    void countDistinctAndTopAreExact() {
        assertThat(run("SELECT count_distinct(pid), count_distinct(level) FROM \"open-ssh\"").rows())
                .containsExactly(List.of(3L, 2L));
        assertThat(run("SELECT top(source, 2) FROM *").rows())
                .containsExactly(List.of(List.of(new TopValue("hdfs-dn-1", 2), new TopValue("sshd-lab", 2))));
    }

    @Test
    void groupsAreOrderedByTheirKeysUnlessOrderBySaysOtherwise() {
        assertThat(run("SELECT source, count(*) FROM * GROUP BY source").rows()).containsExactly(
                List.of("hdfs-dn-1", 2L), List.of("hdfs-dn-2", 1L), List.of("hdfs-nn", 1L),
                List.of("sshd-lab", 2L), List.of("sshd-web", 2L));
        assertThat(run("SELECT level, count(*) FROM * GROUP BY level ORDER BY count(*) DESC").rows()).containsExactly(
                List.of("INFO", 5L), List.of("WARN", 2L), Arrays.asList(null, 1L));
        QueryResult limited = run("SELECT source, count(*) FROM * GROUP BY source ORDER BY count(*) DESC LIMIT 2");
        assertThat(limited.rows()).containsExactly(List.of("hdfs-dn-1", 2L), List.of("sshd-lab", 2L));
        assertThat(limited.matched()).isEqualTo(8);
    }

    @Test
    void binsTimeAlignedToTheEpoch() {
        QueryResult r = run("SELECT bin(time, 5m), count(*) FROM * GROUP BY bin(time, 5m) ORDER BY time DESC");

        assertThat(r.columns()).containsExactly("bin(time, 5m)", "count(*)");
        assertThat(r.rows()).containsExactly(List.of(at("11:55:00"), 2L), List.of(at("11:30:00"), 1L),
                List.of(at("11:05:00"), 2L), List.of(at("11:00:00"), 3L));
        assertThat(ReferenceEvaluator.binStart(Instant.parse("1969-12-31T23:59:59.500Z"), Duration.ofSeconds(1)))
                .isEqualTo(Instant.parse("1969-12-31T23:59:59Z"));
        // the epoch was a Thursday, so weekly bins start on Thursdays: 2026-11-26 is one
        assertThat(ReferenceEvaluator.binStart(Instant.parse("2026-11-26T11:00:00Z"), Duration.ofDays(7)))
                .isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(ReferenceEvaluator.binStart(Instant.parse("2026-11-25T23:59:59Z"), Duration.ofDays(7)))
                .isEqualTo(Instant.parse("2026-11-19T00:00:00Z"));
    }

    @Test
    void groupsByBinAndTagWithAnAbsentTagAsItsOwnGroup() {
        assertThat(run("SELECT bin(time, 1h), level, count(*) FROM \"open-ssh\" GROUP BY bin(time, 1h), level").rows())
                .containsExactly(List.of(at("11:00:00"), "INFO", 2L), List.of(at("11:00:00"), "WARN", 1L),
                        Arrays.asList(at("11:00:00"), null, 1L));
    }

    @Test
    void failsWithTimeoutOnceTheBudgetIsSpent() {
        AtomicLong seconds = new AtomicLong();
        InstantSource ticking = () -> LogFixtures.NOW.plusSeconds(seconds.getAndIncrement());
        ReferenceEvaluator slow = new ReferenceEvaluator(ticking, Duration.ofSeconds(3));

        assertThatThrownBy(() -> slow.evaluate(QueryParser.parse("SELECT * FROM *"), LogFixtures.PARTITIONS))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    }
}
