package io.timberdb.ingest.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.timberdb.ingest.api.IngestProblems;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.client.CoordinatorClient;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.cluster.PartitionCatalog;
import io.timberdb.model.shard.ShardWriter;
import io.timberdb.model.web.ClusterCredential;
import io.timberdb.security.tenant.CallerTenant;
import io.timberdb.security.tenant.TenantHeaderFilter;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-create as a cluster's ingest service does it: no partition catalog in the process, the
 * creation sent over HTTP with the real {@link CoordinatorClient} to a coordinator on a loopback
 * port (a stub of its internal route: the real route, and the whole path, run in
 * {@code LocalClusterIT}). The stub holds every creation until both racing requests have sent
 * theirs, so that one of them loses to the other; its view serves a created partition only to a
 * consistent read, as a cached view that the watch has not caught up yet.
 */
class BulkAutoCreateInClusterTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKEN = "cluster-secret";

    private final List<Partition> committed = new CopyOnWriteArrayList<>();
    private final List<JsonNode> creations = new CopyOnWriteArrayList<>();
    private final List<String> tokens = new CopyOnWriteArrayList<>();
    private final List<LogEntry> written = new CopyOnWriteArrayList<>();
    private final AtomicInteger consistentReads = new AtomicInteger();
    private final ShardWriter writer = (node, shard, entries) -> Mono.fromRunnable(() -> written.addAll(entries));
    /** The cached view never has what was created here; a consistent read has all of it. */
    private final ClusterViewSource view = new ClusterViewSource() {
        @Override
        public ClusterView current() {
            return new ClusterView(1, null, List.of(), List.of());
        }

        @Override
        public Mono<ClusterView> refresh() {
            return Mono.fromSupplier(() -> {
                consistentReads.incrementAndGet();
                return new ClusterView(2, null, List.of(), List.copyOf(committed));
            });
        }
    };
    private DisposableServer coordinator;

    @AfterEach
    void stop() {
        if (coordinator != null) {
            coordinator.disposeNow();
        }
    }

    @Test
    void twoRequestsRacingToANewIndexBothStoreEveryItemInTheCallersTenant() throws Exception {
        WebTestClient bulk = bulk(startCoordinator(2));

        List<CompletableFuture<JsonNode>> racing = IntStream.range(0, 2)
                .mapToObj(r -> CompletableFuture.supplyAsync(() -> send(bulk, "/app-logs/_bulk", items(r, 3))))
                .toList();

        for (CompletableFuture<JsonNode> answer : racing) {
            JsonNode items = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(items.path("errors").asBoolean()).as(items.toString()).isFalse();
            assertThat(items.path("items").valueStream().map(i -> i.path("create").path("status").asInt()))
                    .containsExactly(201, 201, 201);
        }
        assertThat(creations).as("both asked the coordinator").hasSize(2).allSatisfy(body -> {
            assertThat(body.path("name").asString()).isEqualTo("app-logs");
            assertThat(body.path("tenant").asString()).isEqualTo("acme");
        });
        assertThat(tokens).containsOnly(TOKEN);
        assertThat(committed).as("one won, the other was told it exists").singleElement()
                .satisfies(p -> assertThat(p.tenant()).isEqualTo("acme"));
        assertThat(written).extracting(LogEntry::message).containsExactlyInAnyOrder(
                "request 0 line 0", "request 0 line 1", "request 0 line 2",
                "request 1 line 0", "request 1 line 1", "request 1 line 2");
        assertThat(consistentReads.get()).as("found through consistent reads, not the cached view").isPositive();
    }

    @Test
    void noCoordinatorAnsweringFailsTheWholeRequestAndStoresNothing() throws Exception {
        URI dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        bulk(dead).post().uri("/app-logs/_bulk").header(CallerTenant.HEADER, "acme").contentType(MediaType.APPLICATION_NDJSON)
                .bodyValue(items(0, 2)).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("UNAVAILABLE");
        assertThat(written).isEmpty();
    }

    private JsonNode send(WebTestClient bulk, String uri, String body) {
        byte[] answer = bulk.post().uri(uri).header(CallerTenant.HEADER, "acme").contentType(MediaType.APPLICATION_NDJSON)
                .bodyValue(body).exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(answer);
    }

    private static String items(int request, int count) {
        StringBuilder body = new StringBuilder();
        for (int line = 0; line < count; line++) {
            body.append("{\"create\":{}}\n{\"message\":\"request ").append(request).append(" line ").append(line)
                    .append("\",\"host\":\"web-1\"}\n");
        }
        return body.toString();
    }

    private WebTestClient bulk(URI coordinatorUrl) {
        InstantSource clock = InstantSource.fixed(NOW);
        CoordinatorClient client = new CoordinatorClient(ClusterCredential.of(TOKEN).applyTo(WebClient.builder()),
                List.of(coordinatorUrl));
        BulkController controller = new BulkController(new EntryRouter(view, writer, clock),
                new StaticListableBeanFactory().getBeanProvider(PartitionCatalog.class),
                new StaticListableBeanFactory(Map.of("coordinators", client)).getBeanProvider(CoordinatorClient.class),
                ElasticsearchProperties.defaults().withAutoCreatePartitions(true), clock, JSON);
        return WebTestClient.bindToController(controller).controllerAdvice(new IngestProblems())
                .webFilter(new TenantHeaderFilter(true))
                .configureClient().responseTimeout(WAIT).build();
    }

    /**
     * The coordinators' create route: answers no creation before {@code racers} have arrived, then
     * commits the first of a name (200 with the partition) and refuses the others as a voter does
     * (409 {@code PARTITION_EXISTS}).
     */
    private URI startCoordinator(int racers) {
        AtomicInteger arrived = new AtomicInteger();
        Sinks.Empty<Void> allArrived = Sinks.empty();
        coordinator = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post(CoordinatorClient.CREATE_PARTITION_PATH, (request, response) ->
                        request.receive().aggregate().asString().flatMap(sent -> {
                            JsonNode body = JSON.readTree(sent);
                            creations.add(body);
                            tokens.add(request.requestHeaders().get(ClusterCredential.HEADER));
                            if (arrived.incrementAndGet() == racers) {
                                allArrived.tryEmitEmpty();
                            }
                            return allArrived.asMono().then(Mono.fromSupplier(() -> commit(body)));
                        }).flatMap(answer -> response.status(answer.status())
                                .header("Content-Type", "application/json").sendString(Mono.just(answer.body())).then())))
                .bindNow();
        return URI.create("http://127.0.0.1:" + coordinator.port());
    }

    /** A status and body the stub answers. */
    private record Answer(HttpResponseStatus status, String body) {
    }

    private synchronized Answer commit(JsonNode body) {
        String name = body.path("name").asString();
        String tenant = body.path("tenant").asString();
        if (committed.stream().anyMatch(p -> p.name().equals(name) && p.tenant().equals(tenant))) {
            return new Answer(HttpResponseStatus.CONFLICT, JSON.writeValueAsString(Map.of("code", "PARTITION_EXISTS",
                    "detail", "a partition named '" + name + "' already exists", "field", "name")));
        }
        Partition created = new Partition("p-" + name, name, Map.of(), body.path("retention_days").asInt(), NOW,
                List.of(new Partition.ShardPlacement(0, "storage-1")), null, null, null, tenant, 1, 1);
        committed.add(created);
        return new Answer(HttpResponseStatus.OK, JSON.writeValueAsString(created));
    }
}
