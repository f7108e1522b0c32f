package io.timberdb.model.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartialAggregatesTest {

    private static final ReferenceEvaluator REFERENCE =
            new ReferenceEvaluator(InstantSource.fixed(LogFixtures.NOW), Duration.ofMinutes(1));

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT count(*), count(level), count_distinct(source), min(latency_ms), max(latency_ms), sum(latency_ms), "
                + "avg(latency_ms), percentile(latency_ms, 50), top(level, 2) FROM *",
        "SELECT count(*) FROM * WHERE source = 'nobody'",
        "SELECT bin(time, 5m), count(*), top(source, 1) FROM * GROUP BY bin(time, 5m), level ORDER BY time DESC",
        "SELECT source, count(*), avg(latency_ms) FROM * GROUP BY source ORDER BY count(*) DESC LIMIT 2",
        "SELECT level, percentile(pid, 90), max(pid) FROM * GROUP BY level ORDER BY max(pid) ASC"
    })
    void mergingPartsInAnyOrderGivesTheReferenceAnswer(String text) {
        Query query = QueryParser.parse(text);
        QueryResult expected = REFERENCE.evaluate(query, LogFixtures.ALL);
        EntryFilter where = EntryFilter.of(query.where(), LogFixtures.NOW);
        Random random = new Random(text.hashCode());
        for (int round = 0; round < 20; round++) {
            List<PartialAggregates> parts = new ArrayList<>();
            for (int p = 0; p < 1 + random.nextInt(4); p++) {
                parts.add(PartialAggregates.of(query));
            }
            long matched = 0;
            for (LogEntry e : LogFixtures.ALL) {
                if (where.test(e)) {
                    parts.get(random.nextInt(parts.size())).add(e);
                    matched++;
                }
            }
            PartialAggregates merged = PartialAggregates.of(query);
            parts.forEach(part -> merged.merge(part.groups()));
            QueryResult actual = merged.result(matched);
            assertThat(actual.columns()).isEqualTo(expected.columns());
            assertThat(actual.matched()).isEqualTo(expected.matched());
            assertThat(numbersByValue(actual.rows())).isEqualTo(numbersByValue(expected.rows()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM *", "SELECT source FROM * ORDER BY time ASC"})
    void entryQueriesHaveNoGroups(String text) {
        assertThatThrownBy(() -> PartialAggregates.of(QueryParser.parse(text))).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<List<Object>> numbersByValue(List<List<Object>> rows) {
        return rows.stream().map(row -> row.stream()
                .map(cell -> cell instanceof BigDecimal d ? (Object) d.stripTrailingZeros() : cell).toList()).toList();
    }
}
