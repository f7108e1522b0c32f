package io.timberdb.query.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.query.PartialGroup;
import io.timberdb.model.shard.ShardPlan;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.model.sketch.HyperLogLog;
import io.timberdb.query.control.QueryHeaders;
import io.timberdb.query.control.QueryProperties;
import io.timberdb.query.control.RunningQueries;
import io.timberdb.query.plan.QueryExecutor;
import io.timberdb.security.audit.AuditLog;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;

/** {@code POST /api/v1/query}: the language over HTTP, with stub shards. */
class LanguageQueryApiTest {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final Partition LOGS = new Partition("p-1", "logs", Map.of(), 30, NOW,
            List.of(new Partition.ShardPlacement(0, "storage-1"), new Partition.ShardPlacement(1, "storage-2")));
    static final QueryProperties LIMITS = new QueryProperties(500, 100, Duration.ofSeconds(10), Duration.ofSeconds(20),
            5, 100, Duration.ofSeconds(5), DataSize.ofMegabytes(16), DataSize.ofMegabytes(1), Duration.ofMillis(200));

    final Map<Integer, ShardQuery> sent = new ConcurrentHashMap<>();
    final Map<Integer, ShardQueryResult> answers = new ConcurrentHashMap<>();
    final ShardReader reader = (node, shard, query) -> {
        sent.put(shard.shard(), query);
        return Mono.just(answers.get(shard.shard()));
    };
    final WebTestClient http = WebTestClient.bindToController(new QueryController(
                    new QueryExecutor(ClusterViewSource.fixed(new ClusterView(1, null, List.of(), List.of(LOGS))), reader,
                            InstantSource.fixed(NOW), LIMITS), new RunningQueries(LIMITS, InstantSource.system()), AuditLog.disabled()))
            .controllerAdvice(new QueryProblems()).build();

    static LogEntry entry(String id, int second) {
        return new LogEntry(id, NOW.minusSeconds(100).plusSeconds(second), "web", Map.of("level", "INFO"), "m " + id);
    }

    @Test
    void entriesAreMergedInTheQueryOrderWithoutDuplicatesAndCountedInFull() {
        answers.put(0, new ShardQueryResult(List.of(entry("a", 1), entry("c", 3)), 10, 4, List.of(), List.of(), null));
        answers.put(1, new ShardQueryResult(List.of(entry("b", 2), entry("c", 3)), 8, 3, List.of(), List.of(), null));
        post("{\"query\": \"select * from logs where level = 'INFO' order by time asc limit 3\"}")
                .expectStatus().isOk()
                .expectHeader().exists(QueryHeaders.QUERY_ID)
                .expectBody()
                .jsonPath("$.entries[*].id").isEqualTo(List.of("a", "b", "c"))
                .jsonPath("$.entries[0].tags.level").isEqualTo("INFO")
                .jsonPath("$.matched_entries").isEqualTo(7)
                .jsonPath("$.scanned_entries").isEqualTo(18)
                .jsonPath("$.partial").isEqualTo(false)
                .jsonPath("$.columns").doesNotExist();
        assertThat(sent.get(0).query())
                .isEqualTo("SELECT * FROM logs WHERE tags.level = 'INFO' ORDER BY time ASC LIMIT 3");
        assertThat(sent.get(0).now()).isEqualTo(NOW);
        assertThat(sent.get(1).limit()).isEqualTo(3);
    }

    @Test
    void selectedFieldsComeAsColumnsAndRowsAndTheDefaultLimitIsTheServers() {
        answers.put(0, new ShardQueryResult(List.of(entry("a", 1)), 1, 1));
        answers.put(1, new ShardQueryResult(List.of(), 0, 0));
        post("{\"query\": \"SELECT source, tags.nope FROM *\"}")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.columns").isEqualTo(List.of("source", "tags.nope"))
                .jsonPath("$.rows[0][0]").isEqualTo("web")
                .jsonPath("$.entries[0].id").isEqualTo("a");
        assertThat(sent.get(0).query()).endsWith("LIMIT 100");
    }

    @Test
    void partialGroupsAreMergedIntoOrderedRows() {
        PartialGroup.State one = new PartialGroup.State(2, 0, null, null, null, null, null, null);
        PartialGroup.State two = new PartialGroup.State(5, 0, null, null, null, null, null, null);
        answers.put(0, new ShardQueryResult(List.of(), 2, 2, List.of(),
                List.of(new PartialGroup(List.of("web"), java.util.Arrays.asList(null, one))), null));
        answers.put(1, new ShardQueryResult(List.of(), 9, 7, List.of(),
                List.of(new PartialGroup(List.of("api"), java.util.Arrays.asList(null, two)),
                        new PartialGroup(List.of("web"), java.util.Arrays.asList(null, one))), null));
        post("{\"query\": \"SELECT source, count(*) FROM logs GROUP BY source ORDER BY count(*) DESC\"}")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.columns").isEqualTo(List.of("source", "count(*)"))
                .jsonPath("$.rows").isEqualTo(List.of(List.of("api", 5), List.of("web", 4)))
                .jsonPath("$.matched_entries").isEqualTo(9)
                .jsonPath("$.entries").doesNotExist();
    }

    @Test
    void countDistinctMergesTheShardsSketches() {
        answers.put(0, new ShardQueryResult(List.of(), 2, 2, List.of(), List.of(new PartialGroup(List.of(), List.of(
                new PartialGroup.State(0, 0, null, null, null, null, null, sketch("alice", "bob"))))), null));
        answers.put(1, new ShardQueryResult(List.of(), 2, 2, List.of(), List.of(new PartialGroup(List.of(), List.of(
                new PartialGroup.State(0, 0, null, null, null, null, null, sketch("bob", "carol"))))), null));
        post("{\"query\": \"SELECT count_distinct(tags.user) FROM logs\"}")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.rows").isEqualTo(List.of(List.of(3)));
    }

    private static HyperLogLog sketch(String... values) {
        HyperLogLog sketch = new HyperLogLog();
        for (String v : values) {
            sketch.add(v);
        }
        return sketch;
    }

    @Test
    void partialGroupsCountAgainstTheQueryMemoryBudget() {
        Map<String, Long> distinct = new java.util.HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            distinct.put("user-" + i, 1L);
        }
        PartialGroup.State huge = new PartialGroup.State(0, 0, null, null, null, null, distinct, null);
        answers.put(0, new ShardQueryResult(List.of(), 1, 1, List.of(), List.of(new PartialGroup(List.of(), List.of(huge))), null));
        answers.put(1, new ShardQueryResult(List.of(), 0, 0, List.of(), List.of(new PartialGroup(List.of(), List.of(huge))), null));
        post("{\"query\": \"SELECT top(tags.user, 5) FROM logs\"}")
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("QUERY_MEMORY_EXCEEDED");
    }

    @Test
    void explainAddsUpTheShardsPlans() {
        answers.put(0, new ShardQueryResult(List.of(), 0, 0, List.of(), List.of(), new ShardPlan(4, 1, 40, 30, 10, 7, "f")));
        answers.put(1, new ShardQueryResult(List.of(), 0, 0, List.of(), List.of(), new ShardPlan(2, 2, 20, 20, 0, 3, "f")));
        post("{\"query\": \"EXPLAIN SELECT * FROM logs WHERE source = 'web'\"}")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.plan.query").isEqualTo("SELECT * FROM logs WHERE source = 'web' LIMIT 100")
                .jsonPath("$.plan.total.blocks").isEqualTo(6)
                .jsonPath("$.plan.total.blocks_pruned").isEqualTo(3)
                .jsonPath("$.plan.total.pages_pruned").isEqualTo(50)
                .jsonPath("$.plan.total.pages_scanned").isEqualTo(10)
                .jsonPath("$.plan.shards['p-1/1'].active_entries").isEqualTo(3)
                .jsonPath("$.entries").doesNotExist();
        assertThat(sent.get(0).query()).startsWith("EXPLAIN SELECT");
    }

    @Test
    void syntaxErrorsSayWhereAndTooLargeLimitsAreRefused() {
        post("{\"query\": \"SELECT * FROM logs\\nWHERE level = 'ERROR' AND\\nGROUP BY source\"}")
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("QUERY_SYNTAX")
                .jsonPath("$.line").isEqualTo(3)
                .jsonPath("$.column").isEqualTo(1);
        post("{\"query\": \"SELECT * FROM logs LIMIT 501\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("query");
        post("{\"query\": \"SELECT count(*) FROM logs\", \"cursor\": \"MQ\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("cursor");
        post("{}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("query");
        assertThat(sent).isEmpty();
    }

    private WebTestClient.ResponseSpec post(String body) {
        return http.post().uri("/api/v1/query").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
