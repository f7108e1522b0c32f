package io.timberdb.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.raft.RaftTestCluster;
import io.timberdb.model.api.Partition;
import io.timberdb.model.client.CoordinatorClient;
import io.timberdb.model.client.HttpClusterViewSource;
import io.timberdb.model.cluster.ClusterView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Three coordinator applications in one JVM, on loopback ports: writes sent to followers are
 * forwarded to the leader, every voter serves what was written, a watch on a follower answers a
 * write made through the leader, and writes keep working after the leader stops. The methods run in order on one cluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoordinatorClusterIT {

    @TempDir
    static Path dir;

    private static final Map<String, ConfigurableApplicationContext> apps = new LinkedHashMap<>();
    private static final Map<String, WebTestClient> clients = new LinkedHashMap<>();
    private static final Map<String, Integer> httpPorts = new LinkedHashMap<>();
    /** The configured voters, {@code id@raft-host:raft-port@http-url}. */
    private static final List<String> voters = new ArrayList<>();

    @BeforeAll
    static void startThreeCoordinators() {
        for (int i = 1; i <= 3; i++) {
            int http = RaftTestCluster.freePort();
            httpPorts.put("coordinator-" + i, http);
            voters.add("coordinator-" + i + "@127.0.0.1:" + RaftTestCluster.freePort() + "@http://127.0.0.1:" + http);
        }
        httpPorts.forEach((id, port) -> {
            start(id, port, voters);
            clients.put(id, client(port));
        });
    }

    private static void start(String id, int port, List<String> voters) {
        apps.put(id, new SpringApplicationBuilder(CoordinatorApplication.class).run(
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                // A killed coordinator's stopped server would hold a graceful shutdown for its full timeout.
                "--server.shutdown=immediate",
                "--timberdb.node-id=" + id,
                "--timberdb.data-dir=" + dir.resolve(id),
                "--timberdb.coordinator.voters=" + String.join(",", voters),
                "--timberdb.coordinator.election-timeout=" + RaftTestCluster.ELECTION_TIMEOUT.toMillis() + "ms",
                "--timberdb.coordinator.leader-wait=10s",
                // The storage nodes here register once and never heartbeat: no leader failover
                // (it would move leaderships, and the metadata version, at a moment's difference
                // in two registrations' times).
                "--timberdb.coordinator.leader-failover-timeout=0s"));
    }

    private static WebTestClient client(int port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();
    }

    @AfterAll
    static void stopCoordinators() {
        apps.values().forEach(ConfigurableApplicationContext::close);
    }

    @Test
    @Order(1)
    void everyVoterReportsTheSameLeaderInHealthAndClusterView() {
        String leader = awaitLeader();

        for (WebTestClient web : clients.values()) {
            web.get().uri("/health").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.status").isEqualTo("UP")
                    .jsonPath("$.role").isEqualTo("coordinator")
                    .jsonPath("$.details.leader").isEqualTo(leader)
                    .jsonPath("$.details.voters.length()").isEqualTo(3)
                    .jsonPath("$.details.raft_role").value(role -> assertThat(role).isIn("leader", "follower"))
                    .jsonPath("$.details.storage_nodes").isEqualTo(0);
            ClusterView view = web.get().uri("/api/v1/cluster").exchange().expectStatus().isOk()
                    .expectBody(ClusterView.class).returnResult().getResponseBody();
            assertThat(view.coordinator().leader()).isEqualTo(leader);
            assertThat(view.coordinator().voters()).containsExactly("coordinator-1", "coordinator-2", "coordinator-3");
            web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
            web.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
            web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        }
    }

    @Test
    @Order(2)
    void creatingAPartitionBeforeAnyStorageNodeIs503NoStorageNodesEvenThroughAFollower() {
        follower().post().uri("/api/v1/partitions/create").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"too-early\"}").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.code").isEqualTo("NO_STORAGE_NODES");
    }

    @Test
    @Order(3)
    void storageNodesRegisterThroughAFollowerIdempotently() {
        for (int i = 1; i <= 3; i++) {
            for (int twice = 0; twice < 2; twice++) {
                follower().post().uri("/internal/v1/nodes").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("id", "storage-" + i, "address", "http://127.0.0.1:1782" + i)).exchange()
                        .expectStatus().isOk()
                        .expectBody().jsonPath("$.id").isEqualTo("storage-" + i).jsonPath("$.state").isEqualTo("ACTIVE");
            }
        }
        follower().post().uri("/internal/v1/nodes").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("id", "storage-9", "address", "not a url")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_FIELD").jsonPath("$.field").isEqualTo("address");

        await().atMost(Duration.ofSeconds(20)).until(() -> clients.values().stream()
                .allMatch(web -> view(web).nodes().size() == 3 && view(web).version() == 3));
    }

    @Test
    @Order(4)
    void partitionCreatedThroughAFollowerIsServedByEveryVoter() {
        Partition created = follower().post().uri("/api/v1/partitions/create").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"my-application-logs\",\"tags\":{\"environment\":\"development\"},\"retention_days\":30}")
                .exchange()
                .expectStatus().isOk()
                .expectBody(Partition.class).returnResult().getResponseBody();

        assertThat(created.shards()).extracting(Partition.ShardPlacement::node)
                .containsExactlyInAnyOrder("storage-1", "storage-2", "storage-3");
        for (WebTestClient web : clients.values()) {
            // Straight after the write: a voter that has not applied it yet catches up through a read index.
            web.get().uri("/api/v1/partitions/my-application-logs").exchange()
                    .expectStatus().isOk()
                    .expectBody(Partition.class).isEqualTo(created);
        }
        follower().post().uri("/api/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"audit\"}").exchange()
                .expectStatus().isCreated()
                .expectHeader().value("Location", location -> assertThat(location).startsWith("/api/v1/partitions/"));
    }

    @Test
    @Order(4)
    void partitionsAreUpdatedAndDeletedThroughAFollower() {
        follower().post().uri("/api/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"scratch\",\"replication_factor\":3,\"shard_count\":2}").exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.shards[0].replicas.length()").isEqualTo(3);

        follower().patch().uri("/api/v1/partitions/scratch").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"retention_days\":2,\"tags\":{\"team\":\"ops\"}}").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.retention_days").isEqualTo(2).jsonPath("$.tags.team").isEqualTo("ops");
        follower().delete().uri("/api/v1/partitions/scratch").exchange().expectStatus().isNoContent();

        follower().patch().uri("/api/v1/partitions/scratch").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"retention_days\":3}").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("PARTITION_NOT_FOUND");
        follower().post().uri("/api/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"too-many-copies\",\"replication_factor\":4}").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.code").isEqualTo("NOT_ENOUGH_STORAGE_NODES")
                .jsonPath("$.field").isEqualTo("replication_factor");
        for (WebTestClient web : clients.values()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> view(web).partition("scratch").isEmpty());
        }
    }

    @Test
    @Order(5)
    void aWatchOnAFollowerAnswersWithAPartitionCreatedThroughTheLeader() throws Exception {
        String leader = awaitLeader();
        String followerId = clients.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        WebTestClient follower = clients.get(followerId);
        // Once every voter has applied the same version, nothing newer comes until the next write.
        await().atMost(Duration.ofSeconds(20)).until(() -> clients.values().stream()
                .map(web -> view(web).version()).distinct().count() == 1);
        long version = view(follower).version();
        follower.get().uri("/api/v1/cluster?after=" + version + "&wait=200ms").exchange()
                .expectStatus().isNotModified();
        HttpClusterViewSource cached = new HttpClusterViewSource(new CoordinatorClient(WebClient.builder(),
                List.of(URI.create("http://127.0.0.1:" + httpPorts.get(followerId)))), Duration.ofHours(1));
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> cached.current().version() == version);
            CompletableFuture<ClusterView> watch = CompletableFuture.supplyAsync(() -> follower.get()
                    .uri("/api/v1/cluster?after=" + version + "&wait=25s").exchange()
                    .expectStatus().isOk()
                    .expectBody(ClusterView.class).returnResult().getResponseBody());

            clients.get(leader).post().uri("/api/v1/partitions/create").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"name\":\"watched\"}").exchange()
                    .expectStatus().isOk();

            ClusterView answer = watch.get(30, TimeUnit.SECONDS);
            assertThat(answer.version()).isGreaterThan(version);
            assertThat(answer.partition("watched")).isPresent();
            assertThat(answer.coordinator().leader()).isEqualTo(leader);
            // The cached view polls once an hour: only the watch can bring the partition this soon.
            await().atMost(Duration.ofSeconds(20)).until(() -> cached.current().partition("watched").isPresent());
        } finally {
            cached.close();
        }
    }

    @Test
    @Order(6)
    void errorsFromTheLeaderAreRelayedWithTheirCodes() {
        follower().post().uri("/api/v1/partitions/create").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"my-application-logs\"}").exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("PARTITION_EXISTS").jsonPath("$.field").isEqualTo("name");
        follower().get().uri("/api/v1/partitions/nothing-here").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("PARTITION_NOT_FOUND");
        follower().post().uri("/api/v1/partitions/create").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("MISSING_FIELD").jsonPath("$.field").isEqualTo("name");
        follower().method(HttpMethod.PUT).uri("/api/v1/partitions").exchange()
                .expectStatus().isEqualTo(405)
                .expectBody().jsonPath("$.code").isEqualTo("METHOD_NOT_ALLOWED");
        follower().get().uri("/api/v1/nowhere").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
    }

    /**
     * The ingest service's auto-create: {@code POST /internal/v1/partitions} names the tenant, and
     * a follower forwards it to the leader's internal route (its public route would want an admin
     * token).
     */
    @Test
    @Order(6)
    void aServiceCreatesAPartitionInItsCallersTenantThroughAFollowersInternalRoute() {
        Partition created = follower().post().uri("/internal/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"bulk-index\",\"tenant\":\"acme\"}").exchange()
                .expectStatus().isOk()
                .expectBody(Partition.class).returnResult().getResponseBody();

        assertThat(created.tenant()).isEqualTo("acme");
        assertThat(created.shards()).as("the default shard count").hasSize(3);
        clients.get(awaitLeader()).post().uri("/internal/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"bulk-index\",\"tenant\":\"acme\"}").exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("PARTITION_EXISTS").jsonPath("$.field").isEqualTo("name");
        follower().get().uri("/api/v1/partitions/bulk-index").exchange().expectStatus().isNotFound();
        follower().get().uri("/api/v1/partitions/bulk-index").header("X-Scope-OrgID", "acme").exchange()
                .expectStatus().isOk()
                .expectBody(Partition.class).isEqualTo(created);
        follower().post().uri("/internal/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"bad name\",\"tenant\":\"acme\"}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_FIELD").jsonPath("$.field").isEqualTo("name");
        follower().post().uri("/internal/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"fine\",\"tenant\":\"not/a tenant\"}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_FIELD").jsonPath("$.field").isEqualTo("tenant");
        follower().post().uri("/internal/v1/partitions").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("MISSING_FIELD").jsonPath("$.field").isEqualTo("name");
    }

    @Test
    @Order(7)
    void afterTheLeaderStopsWritesReachTheNewLeaderAndNothingIsLost() {
        String old = awaitLeader();
        kill(old);

        // Sent during the election: the receiving voter waits for the new leader.
        follower().post().uri("/api/v1/partitions/create").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"after-failover\"}").exchange()
                .expectStatus().isOk();

        String successor = awaitLeader();
        assertThat(successor).isNotEqualTo(old);
        for (WebTestClient web : clients.values()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> view(web).partitions().size() == 5);
            assertThat(view(web).partitions()).extracting(Partition::name)
                    .containsExactly("my-application-logs", "audit", "watched", "bulk-index", "after-failover");
            web.get().uri("/health").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.details.leader").isEqualTo(successor);
        }
    }

    @Test
    @Order(8)
    void aNewCoordinatorJoinsThroughAFollowerAndTheStoppedOneIsRemoved() {
        String dead = apps.keySet().stream().filter(id -> !clients.containsKey(id)).findFirst().orElseThrow();
        int http = RaftTestCluster.freePort();
        String raft = "127.0.0.1:" + RaftTestCluster.freePort();
        List<String> withNew = new ArrayList<>(voters);
        withNew.add("coordinator-4@" + raft + "@http://127.0.0.1:" + http);
        start("coordinator-4", http, withNew);

        follower().post().uri("/internal/v1/voters").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("id", "coordinator-4", "http_url", "http://127.0.0.1:" + http)).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("MISSING_FIELD").jsonPath("$.field").isEqualTo("raft_address");
        follower().post().uri("/internal/v1/voters").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("id", awaitLeader(), "raft_address", raft, "http_url", "http://127.0.0.1:" + http)).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("VOTER_CONFLICT");
        follower().method(HttpMethod.DELETE).uri("/internal/v1/voters/coordinator-9").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("VOTER_NOT_FOUND");

        follower().post().uri("/internal/v1/voters").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("id", "coordinator-4", "raft_address", raft, "http_url", "http://127.0.0.1:" + http)).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.voters.length()").isEqualTo(4);
        clients.put("coordinator-4", client(http));
        follower().method(HttpMethod.DELETE).uri("/internal/v1/voters/" + dead).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.voters.length()").isEqualTo(3);

        String leader = awaitLeader();
        for (WebTestClient web : clients.values()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !view(web).coordinator().voters().contains(dead));
            assertThat(view(web).coordinator().voters()).containsExactlyInAnyOrderElementsOf(clients.keySet());
            assertThat(view(web).coordinator().leader()).isEqualTo(leader);
            await().atMost(Duration.ofSeconds(30)).until(() -> view(web).partitions().size() == 5);
        }
    }

    @Test
    @Order(9)
    void concurrentCreationsThroughEveryVoterLoseNothingAndDuplicateNothing() throws Exception {
        int threadsPerVoter = 2;
        int distinctPerThread = 4;
        int shared = 4;
        List<String> urls = clients.keySet().stream().map(id -> "http://127.0.0.1:" + ((ReactiveWebServerApplicationContext)
                apps.get(id)).getWebServer().getPort()).toList();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(urls.size() * threadsPerVoter);
        List<Future<Map<String, Integer>>> answers = new ArrayList<>();
        try {
            for (int t = 0; t < urls.size() * threadsPerVoter; t++) {
                String base = urls.get(t % urls.size());
                int thread = t;
                answers.add(pool.submit(() -> {
                    Map<String, Integer> statuses = new LinkedHashMap<>();
                    for (int i = 0; i < Math.max(distinctPerThread, shared); i++) {
                        if (i < shared) {
                            statuses.put("shared-" + i, create(http, base, "shared-" + i));
                        }
                        if (i < distinctPerThread) {
                            statuses.put("t" + thread + "-" + i, create(http, base, "t" + thread + "-" + i));
                        }
                    }
                    return statuses;
                }));
            }
            Map<String, List<Integer>> byName = new LinkedHashMap<>();
            for (Future<Map<String, Integer>> answer : answers) {
                answer.get(5, TimeUnit.MINUTES).forEach((name, status) ->
                        byName.computeIfAbsent(name, n -> new ArrayList<>()).add(status));
            }

            byName.forEach((name, statuses) -> {
                if (name.startsWith("shared-")) {
                    assertThat(statuses).as(name).hasSize(urls.size() * threadsPerVoter)
                            .containsOnly(200, 409).containsOnlyOnce(200);
                } else {
                    assertThat(statuses).as(name).containsExactly(200);
                }
            });
            int expected = 5 + shared + urls.size() * threadsPerVoter * distinctPerThread;
            for (WebTestClient web : clients.values()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> view(web).partitions().size() == expected);
                List<String> names = view(web).partitions().stream().map(Partition::name).toList();
                assertThat(names).doesNotHaveDuplicates().containsAll(byName.keySet());
                assertThat(view(web)).isEqualTo(view(clients.values().iterator().next()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int create(HttpClient http, String base, String name) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/partitions/create"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * Stops a coordinator's HTTP server and Raft voter, as if its process died. Closing the whole
     * context would also dispose Reactor Netty's global event loops, which the other in-JVM
     * coordinators share (separate processes in production).
     */
    private static void kill(String id) {
        ConfigurableApplicationContext app = apps.get(id);
        ((ReactiveWebServerApplicationContext) app).getWebServer().stop();
        app.getBean(MetadataGroup.class).close();
        clients.remove(id);
    }

    /** Waits until every running voter names the same leader; returns its id. */
    private static String awaitLeader() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<String> leaders = clients.values().stream().map(web -> view(web).coordinator().leader()).toList();
            return leaders.stream().distinct().count() == 1 && leaders.get(0) != null
                    && clients.containsKey(leaders.get(0)) ? leaders.get(0) : null;
        }, Objects::nonNull);
    }

    private static WebTestClient follower() {
        String leader = awaitLeader();
        return clients.entrySet().stream().filter(e -> !e.getKey().equals(leader)).map(Map.Entry::getValue)
                .findFirst().orElseThrow();
    }

    private static ClusterView view(WebTestClient web) {
        return web.get().uri("/api/v1/cluster").exchange().expectStatus().isOk()
                .expectBody(ClusterView.class).returnResult().getResponseBody();
    }

}
