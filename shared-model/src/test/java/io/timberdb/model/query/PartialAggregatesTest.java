package io.timberdb.model.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.sketch.HyperLogLog;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
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

    @Test
    void countDistinctPastTheSketchesExactLimitMergesToTheReferencesEstimate() {
        // 3 sources x 3,000 users, so each source's sketch and the whole one keep registers, not hashes
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            entries.add(new LogEntry("e" + i, LogFixtures.NOW.minusSeconds(i % 600), "app-" + i % 3,
                    Map.of("user", "u" + (i * 7 % 9_000)), "m"));
        }
        Query query = QueryParser.parse("SELECT source, count_distinct(user) FROM * GROUP BY source");
        Query whole = QueryParser.parse("SELECT count_distinct(user) FROM *");
        assertThat(mergedInParts(query, entries, 4)).isEqualTo(REFERENCE.evaluate(query, entries).rows());
        assertThat(mergedInParts(whole, entries, 5)).isEqualTo(REFERENCE.evaluate(whole, entries).rows());
        long estimate = (Long) REFERENCE.evaluate(whole, entries).rows().get(0).get(0);
        assertThat(Math.abs(estimate - 9_000) / 9_000.0).isLessThanOrEqualTo(3 * HyperLogLog.STANDARD_ERROR);
    }

    @Test
    void countDistinctMergesTheValuesOfAStorageNodeFromBeforeTheSketch() {
        Query query = QueryParser.parse("SELECT count_distinct(level) FROM *");
        PartialAggregates merged = PartialAggregates.of(query);
        merged.merge(List.of(new PartialGroup(List.of(), List.of(
                new PartialGroup.State(0, 0, null, null, null, null, Map.of("INFO", 2L, "WARN", 1L), null)))));
        PartialAggregates current = PartialAggregates.of(query);
        current.add(LogFixtures.H1);
        current.add(LogFixtures.S3); // no level
        current.add(LogFixtures.H4);
        merged.merge(current.groups());
        assertThat(merged.result(6).rows()).containsExactly(List.of(2L));
    }

    private static List<List<Object>> mergedInParts(Query query, List<LogEntry> entries, int parts) {
        List<PartialAggregates> shards = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            shards.add(PartialAggregates.of(query));
        }
        for (int i = 0; i < entries.size(); i++) {
            shards.get(i % parts).add(entries.get(i));
        }
        PartialAggregates merged = PartialAggregates.of(query);
        for (int p = parts - 1; p >= 0; p--) { // not the order they were filled in
            merged.merge(shards.get(p).groups());
        }
        return merged.result(entries.size()).rows();
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
