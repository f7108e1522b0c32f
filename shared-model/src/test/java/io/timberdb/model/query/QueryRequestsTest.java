package io.timberdb.model.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.api.QueryRequest;
import io.timberdb.model.error.TimberException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class QueryRequestsTest {

    @Test
    void mapsEveryConditionOfTheFilterAndTheDefaults() {
        QueryRequest request = new QueryRequest(new QueryFilter(List.of("2026-11-01T00:00:00Z", "1795000000000"),
                "web-01", Map.of("level", "error", "app", "shop"), "timeout"), List.of("my-app-logs"), null, 30);

        Query q = QueryRequests.toQuery(request);

        assertThat(QueryPrinter.print(q)).isEqualTo("SELECT * FROM \"my-app-logs\" WHERE time >= '2026-11-01T00:00:00Z'"
                + " AND time < '2026-11-18T11:06:40Z' AND source = 'web-01' AND tags.app = 'shop'"
                + " AND tags.level = 'error' AND message CONTAINS 'timeout' LIMIT 1000");
    }

    @Test
    void anEmptyRequestIsEverythingFromEveryPartition() {
        assertThat(QueryPrinter.print(QueryRequests.toQuery(new QueryRequest(null, null, 5, null))))
                .isEqualTo("SELECT * FROM * LIMIT 5");
    }

    @Test
    void refusesWhatTheJsonApiRefuses() {
        assertThatThrownBy(() -> QueryRequests.toQuery(new QueryRequest(null, null, 0, null)))
                .isInstanceOf(TimberException.class);
    }

    @Provide
    Arbitrary<QueryFilter> filters() {
        Arbitrary<String> time = Arbitraries.of(null, "2026-11-26T11:00:00Z", "2026-11-26T11:05:00Z", "1795700000000");
        return Combinators.combine(time, time, Arbitraries.of(null, "hdfs-dn-1", "sshd-lab", "nope"),
                Arbitraries.of(Map.<String, String>of(), Map.of("level", "INFO"), Map.of("level", "WARN", "pid", "24200")),
                Arbitraries.of(null, "blk_", "password", "Bye", "x"))
                .as((from, to, source, tags, contains) -> new QueryFilter(from == null && to == null ? null
                        : Arrays.asList(from, to), source, tags, contains))
                .filter(f -> f.from() == null || f.to() == null || !f.to().isBefore(f.from()));
    }

    @Property(tries = 300)
    void theMappedQueryAnswersWhatTheFilterMatches(@ForAll("filters") QueryFilter filter) {
        QueryRequest request = new QueryRequest(filter, null, null, null);
        ReferenceEvaluator evaluator = new ReferenceEvaluator(InstantSource.fixed(Instant.EPOCH), Duration.ofMinutes(1));

        List<LogEntry> answer = evaluator.evaluate(QueryRequests.toQuery(request), LogFixtures.ALL).entries();

        assertThat(answer).isEqualTo(LogFixtures.ALL.stream().filter(filter.toPredicate())
                .sorted(LogEntry.NEWEST_FIRST).toList());
    }
}
