package io.timberdb.model.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.timberdb.model.cluster.ClusterView;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cached view against a small local coordinator: kept current by the watch, by polling when
 * the watch fails, never replaced by an older version, and stopped by {@code close}.
 */
class HttpClusterViewSourceTest {

    private static final Duration NEVER = Duration.ofHours(1);
    private static final Duration AWAIT = Duration.ofSeconds(20);

    private final FakeCoordinator coordinator = new FakeCoordinator();
    private HttpClusterViewSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        coordinator.close();
    }

    @Test
    void picksUpANewVersionThroughTheWatchWithoutPolling() throws Exception {
        coordinator.apply(1);
        // The first coordinator listed does not answer: the client moves on to the next, as for any call.
        source = new HttpClusterViewSource(client(deadCoordinator(), coordinator.url()), NEVER);

        awaitCached(1);
        await().atMost(AWAIT).until(() -> coordinator.held.get() == 1);
        coordinator.apply(2);
        awaitCached(2);
        assertThat(coordinator.polls.get()).isZero();
        assertThat(health().get("cluster_view_updates")).isEqualTo("watch");
    }

    @Test
    void aWatchThatTimesOutIsAskedAgain() {
        coordinator.apply(1);
        source = new HttpClusterViewSource(client(coordinator.url()), NEVER, Duration.ofMillis(100));

        await().atMost(AWAIT).until(() -> coordinator.notModified.get() >= 2);
        coordinator.apply(2);
        awaitCached(2);
        assertThat(coordinator.polls.get()).isZero();
    }

    @Test
    void fallsBackToPollingWhenTheWatchRouteFails() {
        coordinator.mode = Mode.FAIL;
        coordinator.apply(1);
        source = new HttpClusterViewSource(client(coordinator.url()), Duration.ofMillis(100));

        awaitCached(1);
        coordinator.apply(2);
        awaitCached(2);
        assertThat(coordinator.polls.get()).isPositive();
        assertThat(health().get("cluster_view_updates")).isEqualTo("poll");
    }

    @Test
    void pollsACoordinatorThatIgnoresTheWatchParameters() {
        coordinator.mode = Mode.IGNORE;
        coordinator.apply(1);
        source = new HttpClusterViewSource(client(coordinator.url()), Duration.ofMillis(100));

        await().atMost(AWAIT).until(() -> source.current().version() == 1 && coordinator.polls.get() > 0);
        coordinator.apply(2);
        awaitCached(2);
    }

    @Test
    void goesBackToTheWatchOnceItWorksAgain() {
        coordinator.mode = Mode.FAIL;
        coordinator.apply(1);
        source = new HttpClusterViewSource(client(coordinator.url()), Duration.ofMillis(50));
        await().atMost(AWAIT).until(() -> coordinator.polls.get() > 0);

        coordinator.mode = Mode.WATCH;

        await().atMost(AWAIT).until(() -> coordinator.held.get() == 1);
        int polls = coordinator.polls.get();
        coordinator.apply(2);
        awaitCached(2);
        assertThat(coordinator.polls.get()).isEqualTo(polls);
    }

    @Test
    void neverReplacesTheViewWithAnOlderVersion() {
        coordinator.apply(5);
        source = new HttpClusterViewSource(client(coordinator.url()), NEVER);
        awaitCached(5);

        coordinator.lagTo(3);

        assertThat(source.refresh().block(AWAIT).version()).isEqualTo(5);
        assertThat(source.current().version()).isEqualTo(5);
    }

    @Test
    void closeCancelsTheOutstandingWatch() {
        coordinator.apply(1);
        source = new HttpClusterViewSource(client(coordinator.url()), NEVER);
        // held counts a watch from its subscription, before the first one sees the applied view:
        // wait for the view too, so that the held watch is the next one, not the first
        await().atMost(AWAIT).until(() -> source.current().version() == 1 && coordinator.held.get() == 1);

        source.close();

        await().atMost(AWAIT).until(() -> coordinator.held.get() == 0);
        int watches = coordinator.watches.get();
        coordinator.apply(2);
        assertThat(source.current().version()).isEqualTo(1);
        assertThat(coordinator.watches.get()).isEqualTo(watches);
    }

    private void awaitCached(long version) {
        await().atMost(AWAIT).until(() -> source.current().version() == version);
    }

    private Map<String, Object> health() {
        return source.health().details().block(AWAIT);
    }

    private static CoordinatorClient client(URI... coordinators) {
        return new CoordinatorClient(WebClient.builder(), List.of(coordinators));
    }

    private static URI deadCoordinator() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    enum Mode {
        /** Holds {@code after} requests until a newer view, or answers 304 after the wait. */
        WATCH,
        /** Answers 500 to {@code after} requests. */
        FAIL,
        /** A coordinator that predates the watch: ignores {@code after} and {@code wait}. */
        IGNORE
    }

    /** {@code GET /api/v1/cluster} on a loopback port, counting what it is asked. */
    private static final class FakeCoordinator implements AutoCloseable {

        private final JsonMapper json = JsonMapper.builder().build();
        private final Sinks.Many<ClusterView> applied = Sinks.many().replay().latest();
        private final DisposableServer server;
        private volatile ClusterView view = ClusterView.EMPTY;
        volatile Mode mode = Mode.WATCH;
        final AtomicInteger polls = new AtomicInteger();
        final AtomicInteger watches = new AtomicInteger();
        final AtomicInteger held = new AtomicInteger();
        final AtomicInteger notModified = new AtomicInteger();

        FakeCoordinator() {
            server = HttpServer.create().host("127.0.0.1").port(0)
                    .route(routes -> routes.get("/api/v1/cluster", (request, response) -> answer(request.uri(), response)))
                    .bindNow();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.port());
        }

        synchronized void apply(long version) {
            view = new ClusterView(version, new ClusterView.Coordinator("coordinator-1", List.of("coordinator-1")),
                    List.of(), List.of());
            applied.tryEmitNext(view).orThrow();
        }

        /** Answers an older view from now on, as a lagging voter would. */
        void lagTo(long version) {
            view = new ClusterView(version, view.coordinator(), List.of(), List.of());
        }

        private Mono<Void> answer(String uri, HttpServerResponse response) {
            Map<String, List<String>> params = new QueryStringDecoder(uri).parameters();
            if (!params.containsKey("after")) {
                polls.incrementAndGet();
                return send(response, view);
            }
            watches.incrementAndGet();
            return switch (mode) {
                case FAIL -> response.status(HttpResponseStatus.INTERNAL_SERVER_ERROR).send().then();
                case IGNORE -> send(response, view);
                case WATCH -> {
                    long after = Long.parseLong(params.get("after").get(0));
                    Duration wait = Duration.ofMillis(Long.parseLong(params.get("wait").get(0).replace("ms", "")));
                    yield applied.asFlux().filter(v -> v.version() > after).next()
                            .doOnSubscribe(s -> held.incrementAndGet())
                            .doFinally(signal -> held.decrementAndGet())
                            .timeout(wait)
                            .flatMap(v -> send(response, v))
                            .onErrorResume(TimeoutException.class, e -> {
                                notModified.incrementAndGet();
                                return response.status(HttpResponseStatus.NOT_MODIFIED).send().then();
                            });
                }
            };
        }

        private Mono<Void> send(HttpServerResponse response, ClusterView answer) {
            return response.header("Content-Type", "application/json")
                    .sendString(Mono.just(json.writeValueAsString(answer))).then();
        }

        @Override
        public void close() {
            server.disposeNow();
        }
    }
}
