package io.timberdb.ingest.route;

import static io.timberdb.ingest.route.FakeStorageNodes.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.timberdb.ingest.api.IngestProblems;
import io.timberdb.ingest.route.FakeStorageNodes.Answer;
import io.timberdb.ingest.route.FakeStorageNodes.Node;
import io.timberdb.ingest.route.FakeStorageNodes.SteppingView;
import io.timberdb.model.api.IngestResponse;
import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The ingest service's writes to shard leaders against real HTTP storage nodes on loopback ports:
 * retries of the same batch (same ids) at the leader of a refreshed view, what is not retried,
 * the per-node circuit breaker and bulkhead, the deadline, and the meters.
 */
class LeaderShardWriterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration AWAIT = Duration.ofSeconds(20);

    private final FakeStorageNodes storage = new FakeStorageNodes();
    private final Node one = storage.start("storage-1");
    private final Node two = storage.start("storage-2");
    private final Map<String, String> addresses = Map.of("storage-1", one.address(), "storage-2", two.address());

    @AfterEach
    void stop() {
        storage.close();
    }

    /** Small backoffs, a breaker that opens after ten failures and stays open. */
    private static ResilienceProperties props(int maxAttempts, int maxConcurrentAppends) {
        return props(maxAttempts, maxConcurrentAppends, 10);
    }

    /** Small backoffs, a breaker that opens once half of {@code breakerWindow} calls failed and stays open. */
    private static ResilienceProperties props(int maxAttempts, int maxConcurrentAppends, int breakerWindow) {
        return new ResilienceProperties(Duration.ofSeconds(5), maxAttempts, Duration.ofMillis(10), 2.0,
                Duration.ofMillis(40), 0.5, 50, breakerWindow, breakerWindow, Duration.ofHours(1), 1,
                maxConcurrentAppends);
    }

    private static LeaderShardWriter writer(SteppingView view, ResilienceProperties props, Duration deadline) {
        return new LeaderShardWriter(new HttpShardWriter(WebClient.builder(), view, props.attemptTimeout()), view,
                props, deadline);
    }

    private static Mono<IngestResponse> ingest(SteppingView view, LeaderShardWriter writer, int entries) {
        EntryRouter router = new EntryRouter(view, writer, InstantSource.fixed(Instant.parse("2026-11-26T00:00:00Z")));
        List<LogEntryInput> inputs = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            inputs.add(new LogEntryInput(null, "host-" + i, Map.of("level", "info"), "m" + i));
            paths.add("[" + i + "]");
        }
        return router.ingest(FakeStorageNodes.PARTITION, inputs, paths);
    }

    private static Answer notLeader(String leader) {
        return Answer.problem(409, "NOT_LEADER", Map.of("leader", leader, "epoch", 2));
    }

    @Test
    void aNotLeaderSendsTheSameIdsToTheLeaderOfTheRefreshedView() {
        one.script.add(notLeader("storage-2"));
        SteppingView view = new SteppingView(view(1, "storage-1", addresses), view(2, "storage-2", addresses));

        IngestResponse response = ingest(view, writer(view, props(5, 64), DEADLINE), 5).block(AWAIT);

        assertThat(one.appends).containsExactly(response.ids());
        assertThat(two.appends).containsExactly(response.ids());
        assertThat(view.refreshes.get()).isEqualTo(1);
    }

    @Test
    void theNotLeadersHintWinsWhileNoCoordinatorAnswersAndTheHeldViewIsBehind() {
        one.script.add(notLeader("storage-2"));
        SteppingView view = new SteppingView(view(1, "storage-1", addresses));
        view.down = true;

        IngestResponse response = ingest(view, writer(view, props(5, 64), DEADLINE), 3).block(AWAIT);

        assertThat(two.appends).containsExactly(response.ids());
        assertThat(one.appends).hasSize(1);
        assertThat(view.refreshes.get()).isEqualTo(1);
    }

    @Test
    void twoBusyAnswersAreRetriedUntilTheNodeStoresTheBatchAndTheMetersCountIt() {
        one.script.add(Answer.problem(503, "UNAVAILABLE", Map.of()));
        one.script.add(Answer.problem(503, "NOT_ENOUGH_REPLICAS", Map.of()));
        SteppingView view = new SteppingView(view(1, "storage-1", addresses));
        LeaderShardWriter writer = writer(view, props(5, 64), DEADLINE);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        writer.bindTo(metrics);

        IngestResponse response = ingest(view, writer, 4).block(AWAIT);

        assertThat(one.appends).containsExactly(response.ids(), response.ids(), response.ids());
        String scrape = metrics.scrape();
        assertThat(scrape)
                .contains("resilience4j_retry_calls_total{kind=\"successful_with_retry\",name=\"storage-append\"} 1.0")
                .contains("resilience4j_circuitbreaker_state{name=\"storage-1\",state=\"closed\"} 1.0")
                .contains("resilience4j_bulkhead_available_concurrent_calls{name=\"storage-1\"} 64.0");
    }

    @Test
    void aBadRequestIsNotRetriedAndKeepsTheNodesCodeAndField() {
        one.script.add(Answer.problem(400, "INVALID_FIELD", Map.of("field", "[0].message")));
        SteppingView view = new SteppingView(view(1, "storage-1", addresses), view(2, "storage-2", addresses));

        StepVerifier.create(ingest(view, writer(view, props(5, 64), DEADLINE), 2))
                .expectErrorSatisfies(e -> {
                    TimberException te = (TimberException) e;
                    assertThat(te.code()).isEqualTo(ErrorCode.INVALID_FIELD);
                    assertThat(te.field()).isEqualTo("[0].message");
                })
                .verify(AWAIT);
        assertThat(one.appends).hasSize(1);
        assertThat(two.appends).isEmpty();
        assertThat(view.refreshes.get()).isZero();
    }

    @Test
    void aNodeThatRefusesConnectionsOpensItsBreakerAndTheBatchGoesToTheNewLeader() {
        Map<String, String> withDead = Map.of("storage-1", FakeStorageNodes.refusingAddress(), "storage-2", two.address());
        ClusterView dead = view(1, "storage-1", withDead);
        // two refreshes still name the dead leader (two failures open its breaker, the third attempt is
        // refused by the breaker itself); the third names the new leader
        SteppingView view = new SteppingView(dead, dead, dead, view(2, "storage-2", withDead));
        LeaderShardWriter writer = writer(view, props(6, 64, 2), DEADLINE);

        IngestResponse response = ingest(view, writer, 3).block(AWAIT);

        CircuitBreaker breaker = writer.breaker("storage-1");
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(2);
        assertThat(breaker.getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(1);
        assertThat(two.appends).containsExactly(response.ids());
        assertThat(writer.breaker("storage-2").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void theDeadlineEndsTheRetriesWithA503ProblemAndNoSuccess() {
        one.always = Answer.problem(503, "UNAVAILABLE", Map.of());
        SteppingView view = new SteppingView(view(1, "storage-1", addresses));
        AtomicReference<Throwable> failure = new AtomicReference<>();

        // unbounded attempts: only the deadline can end them, however fast or slow the machine is
        StepVerifier.create(ingest(view, writer(view, props(Integer.MAX_VALUE, 64), Duration.ofSeconds(1)), 2))
                .expectErrorSatisfies(failure::set)
                .verify(AWAIT);

        TimberException te = (TimberException) failure.get();
        assertThat(te.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(te.getMessage()).contains("within 1000 ms");
        assertThat(one.appends).allSatisfy(ids -> assertThat(ids).hasSize(2).isEqualTo(one.appends.get(0)));
        ResponseEntity<ProblemDetail> answer = new IngestProblems().timber(te,
                MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/partitions/logs/logs")));
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
        assertThat(answer.getBody().getProperties()).containsEntry("code", "UNAVAILABLE");
    }

    @Test
    void exhaustedAttemptsAnswerUnavailableNamingTheLastRefusal() {
        one.always = Answer.problem(503, "NOT_ENOUGH_REPLICAS", Map.of());
        SteppingView view = new SteppingView(view(1, "storage-1", addresses));

        StepVerifier.create(ingest(view, writer(view, props(3, 64), DEADLINE), 1))
                .expectErrorSatisfies(e -> {
                    assertThat(((TimberException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("in 3 attempts").contains("NOT_ENOUGH_REPLICAS");
                })
                .verify(AWAIT);
        assertThat(one.appends).hasSize(3);
    }

    @Test
    void aFullBulkheadFailsFastAsBusyInsteadOfQueueing() {
        Sinks.Empty<Void> release = Sinks.empty();
        one.hold = release;
        SteppingView view = new SteppingView(view(1, "storage-1", addresses));
        LeaderShardWriter writer = writer(view, props(2, 1), DEADLINE);

        AtomicReference<IngestResponse> first = new AtomicReference<>();
        ingest(view, writer, 1).subscribe(first::set);
        await().atMost(AWAIT).until(() -> one.appends.size() == 1);

        StepVerifier.create(ingest(view, writer, 1))
                .expectErrorSatisfies(e -> {
                    assertThat(((TimberException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("BulkheadFullException");
                })
                .verify(AWAIT);
        assertThat(one.appends).hasSize(1);
        assertThat(writer.bulkhead("storage-1").getMetrics().getAvailableConcurrentCalls()).isZero();

        release.tryEmitEmpty();
        await().atMost(AWAIT).until(() -> first.get() != null);
        assertThat(one.appends).containsExactly(first.get().ids());
        await().atMost(AWAIT).until(() -> writer.bulkhead("storage-1").getMetrics().getAvailableConcurrentCalls() == 1);
    }
}
