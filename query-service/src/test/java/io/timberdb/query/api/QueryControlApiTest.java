package io.timberdb.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.timberdb.model.api.Partition;
import io.timberdb.model.api.QueryResponse;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.query.control.QueryHeaders;
import io.timberdb.query.control.QueryProperties;
import io.timberdb.query.control.RunningQueries;
import io.timberdb.query.plan.QueryExecutor;
import io.timberdb.security.audit.AuditLog;
import io.timberdb.security.tenant.TenantHeaderFilter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/** The query control routes over HTTP: ids, status, cancellation, admission and limits. */
class QueryControlApiTest {

    static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
    static final Partition LOGS = new Partition("p-1", "logs", Map.of(), 30, T0,
            List.of(new Partition.ShardPlacement(0, "storage-1")));
    static final QueryProperties LIMITS = new QueryProperties(500, 100, Duration.ofSeconds(10), Duration.ofSeconds(20),
            1, 100, Duration.ofSeconds(5), DataSize.ofMegabytes(16), DataSize.ofMegabytes(1), Duration.ofMillis(200));

    final Sinks.One<ShardQueryResult> shardAnswer = Sinks.one();
    final AtomicInteger shardCalls = new AtomicInteger();
    final ShardReader reader = (node, shard, query) -> {
        shardCalls.incrementAndGet();
        return shardAnswer.asMono();
    };
    final RunningQueries queries = new RunningQueries(LIMITS, InstantSource.system());
    final WebTestClient http = WebTestClient.bindToController(new QueryController(
                    new QueryExecutor(ClusterViewSource.fixed(new ClusterView(1, null, List.of(), List.of(LOGS))), reader,
                            InstantSource.system(), LIMITS), queries, AuditLog.disabled()))
            .controllerAdvice(new QueryProblems()).webFilter(new TenantHeaderFilter(true))
            .configureClient().responseTimeout(Duration.ofSeconds(10)).build();

    WebTestClient.ResponseSpec execute(String id, String body) {
        WebTestClient.RequestBodySpec request = http.post().uri("/api/v1/query/execute").contentType(MediaType.APPLICATION_JSON);
        if (id != null) {
            request = request.header(QueryHeaders.QUERY_ID, id);
        }
        return request.bodyValue(body).exchange();
    }

    @Test
    void theClientsIdNamesTheQueryInItsAnswerAndItsStatus() {
        shardAnswer.tryEmitValue(new ShardQueryResult(List.of(), 12, 0));
        QueryResponse answer = execute("mine-1", "{}").expectStatus().isOk()
                .expectHeader().valueEquals(QueryHeaders.QUERY_ID, "mine-1")
                .expectBody(QueryResponse.class).returnResult().getResponseBody();
        assertThat(answer.id()).isEqualTo("mine-1");
        http.get().uri("/api/v1/query/mine-1/status").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.state").isEqualTo("succeeded")
                .jsonPath("$.shards_total").isEqualTo(1)
                .jsonPath("$.shards_done").isEqualTo(1)
                .jsonPath("$.scanned_entries").isEqualTo(12);
    }

    @Test
    void aRunningQueryCanBeWatchedAndCancelledAndItsSlotIsTakenMeanwhile() {
        var inFlight = Mono.fromCallable(() -> execute("long", "{}").expectStatus().isEqualTo(409)
                        .expectBody().jsonPath("$.code").isEqualTo("QUERY_CANCELLED"))
                .subscribeOn(Schedulers.boundedElastic()).toFuture();
        await().atMost(Duration.ofSeconds(5)).until(() -> queries.status(Partition.DEFAULT_TENANT, "long").isPresent());

        http.get().uri("/api/v1/query/running").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[0].id").isEqualTo("long").jsonPath("$[0].state").isEqualTo("running");
        execute(null, "{}").expectStatus().isEqualTo(429)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectBody().jsonPath("$.code").isEqualTo("TOO_MANY_QUERIES");

        // another tenant (authentication off: X-Scope-OrgID) neither sees nor cancels it
        http.get().uri("/api/v1/query/long/status").header("X-Scope-OrgID", "other").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("QUERY_NOT_FOUND");
        http.post().uri("/api/v1/query/long/cancel").header("X-Scope-OrgID", "other").exchange().expectStatus().isNotFound();
        http.get().uri("/api/v1/query/running").header("X-Scope-OrgID", "other").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.length()").isEqualTo(0);

        http.post().uri("/api/v1/query/long/cancel").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.state").isEqualTo("cancelled");
        inFlight.join();
        http.get().uri("/api/v1/query/long/status").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.state").isEqualTo("cancelled");
        assertThat(shardCalls).hasValue(1);
    }

    @Test
    void unknownQueriesAreNotFoundAndLimitsComeFromTheConfiguration() {
        http.get().uri("/api/v1/query/nope/status").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("QUERY_NOT_FOUND");
        http.post().uri("/api/v1/query/nope/cancel").exchange().expectStatus().isNotFound();
        execute(null, "{\"limit\": 501}").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_FIELD").jsonPath("$.field").isEqualTo("limit");
        execute(null, "{\"timeout_seconds\": 21}").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.field").isEqualTo("timeout_seconds");
        assertThat(shardCalls).as("a refused query asks no shard").hasValue(0);
        assertThat(queries.running(Partition.DEFAULT_TENANT)).as("refused queries free their slot").isEmpty();
    }
}
