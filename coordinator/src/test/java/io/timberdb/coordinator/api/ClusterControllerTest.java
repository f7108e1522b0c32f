package io.timberdb.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** {@code GET /api/v1/cluster} as a watch: answers, holds, times out, refuses bad parameters. */
class ClusterControllerTest {

    private final ChangingViews views = new ChangingViews();
    private final WebTestClient web = WebTestClient.bindToController(new ClusterController(views))
            .controllerAdvice(new CoordinatorProblemDetailsAdvice())
            .configureClient().responseTimeout(Duration.ofSeconds(30))
            .build();

    @Test
    void answersAtOnceWhenTheViewIsNewerThanAfter() {
        views.apply(view(3));

        ClusterView answer = web.get().uri("/api/v1/cluster?after=2&wait=60s").exchange()
                .expectStatus().isOk()
                .expectBody(ClusterView.class).returnResult().getResponseBody();

        assertThat(answer.version()).isEqualTo(3);
        assertThat(views.waiting.get()).isZero();
    }

    @Test
    void holdsUntilANewerViewIsAppliedThenAnswersIt() throws Exception {
        views.apply(view(3));
        CompletableFuture<ClusterView> watch = heldWatch("/api/v1/cluster?after=3&wait=30s");

        assertThat(watch).isNotDone();
        views.apply(view(4));

        assertThat(watch.get(20, TimeUnit.SECONDS).version()).isEqualTo(4);
    }

    @Test
    void answers304WithNoBodyWhenNothingNewerArrivesWithinTheWait() {
        views.apply(view(3));

        web.get().uri("/api/v1/cluster?after=3&wait=200ms").exchange()
                .expectStatus().isNotModified()
                .expectBody().isEmpty();
        web.get().uri("/api/v1/cluster?after=7&wait=0").exchange()
                .expectStatus().isNotModified();

        await().atMost(Duration.ofSeconds(10)).until(() -> views.waiting.get() == 0);
    }

    @Test
    void withoutAfterAnswersTheViewAsBefore() {
        views.apply(view(5));

        web.get().uri("/api/v1/cluster").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.version").isEqualTo(5);
        web.get().uri("/api/v1/cluster?consistent=true").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.version").isEqualTo(5);
    }

    @Test
    void badParametersAre400NamingTheParameter() {
        for (String after : List.of("-1", "x", "1.5", "")) {
            badRequest("/api/v1/cluster?after=" + after, "INVALID_FIELD", "after");
        }
        for (String wait : List.of("-1s", "soon", "1.5s", "3 parsecs")) {
            badRequest("/api/v1/cluster?after=1&wait=" + wait, "INVALID_FIELD", "wait");
        }
        badRequest("/api/v1/cluster?wait=10s", "MISSING_FIELD", "after");
        badRequest("/api/v1/cluster?after=1&consistent=true", "INVALID_FIELD", "consistent");
        assertThat(views.waiting.get()).isZero();
    }

    @Test
    void aWaitLongerThanTheCapIsAcceptedNotRefused() throws Exception {
        views.apply(view(1));
        CompletableFuture<ClusterView> watch = heldWatch("/api/v1/cluster?after=1&wait=1h");

        views.apply(view(2));

        assertThat(watch.get(20, TimeUnit.SECONDS).version()).isEqualTo(2);
    }

    /** Sends a watch from another thread and returns once the source holds it; completes with its 200 answer. */
    private CompletableFuture<ClusterView> heldWatch(String uri) {
        CompletableFuture<ClusterView> watch = CompletableFuture.supplyAsync(() -> web.get().uri(uri).exchange()
                .expectStatus().isOk()
                .expectBody(ClusterView.class).returnResult().getResponseBody());
        await().atMost(Duration.ofSeconds(20)).until(() -> views.waiting.get() == 1);
        return watch;
    }

    private void badRequest(String uri, String code, String field) {
        web.get().uri(uri).exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo(code)
                .jsonPath("$.field").isEqualTo(field)
                .jsonPath("$.status").isEqualTo(400);
    }

    private static ClusterView view(long version) {
        return new ClusterView(version, new ClusterView.Coordinator("coordinator-1", List.of("coordinator-1")),
                List.of(), List.of());
    }

    /** A source whose view the test advances; it counts the watches waiting on it. */
    private static final class ChangingViews implements ClusterViewSource {

        private final Sinks.Many<ClusterView> applied = Sinks.many().replay().latest();
        private final AtomicInteger waiting = new AtomicInteger();
        private volatile ClusterView view = ClusterView.EMPTY;

        synchronized void apply(ClusterView next) {
            view = next;
            applied.tryEmitNext(next).orThrow();
        }

        @Override
        public ClusterView current() {
            return view;
        }

        @Override
        public Mono<ClusterView> refresh() {
            return Mono.fromSupplier(this::current);
        }

        @Override
        public Mono<ClusterView> newerThan(long version) {
            return applied.asFlux().filter(v -> v.version() > version).next()
                    .doOnSubscribe(s -> waiting.incrementAndGet())
                    .doFinally(signal -> waiting.decrementAndGet());
        }
    }
}
