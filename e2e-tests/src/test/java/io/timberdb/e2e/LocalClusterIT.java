package io.timberdb.e2e;

import static io.timberdb.e2e.QuickStart.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./timberdb cluster up}: 3 coordinator voters, 3 storage nodes, ingest, query and the
 * gateway as separate processes on loopback; the quick start through the gateway, and the query
 * language over a partition spread over the three shards; then {@code cluster status} and
 * {@code cluster down}. Ports are shifted by 1000 so that a cluster a developer runs on the
 * default ports is not disturbed.
 */
class LocalClusterIT {

    static final int OFFSET = 1000;
    static final String GATEWAY = "http://127.0.0.1:" + (7777 + OFFSET);
    static final Path CLUSTER_DIR = ServiceProcess.ROOT.resolve("e2e-tests/target/cluster");
    /** Elasticsearch bulks create the partitions they name (off by default in a cluster). */
    static final LocalCluster CLUSTER = new LocalCluster(CLUSTER_DIR, OFFSET,
            Map.of("TIMBERDB_INGEST_ELASTICSEARCH_AUTO_CREATE_PARTITIONS", "true"));
    static final String[] SOURCES = {"web-01", "web-02", "db-01", "cache-01"};
    /**
     * The levels of the language test's entries: not "error", which the spec quick start's query
     * counts over every partition (the two tests run in either order).
     */
    static final String[] LEVELS = {"info", "warn", "fatal"};

    @BeforeAll
    static void up() throws Exception {
        CLUSTER.start();
    }

    @AfterAll
    static void down() throws Exception {
        String out = launcher("cluster", "down");
        assertThat(out).contains("stopped 9 process(es)");
        try (var pids = Files.list(CLUSTER_DIR)) {
            assertThat(pids.filter(p -> p.toString().endsWith(".pid"))).isEmpty();
        }
    }

    @Test
    void theSpecQuickStartWorksThroughTheGateway() throws Exception {
        QuickStart api = new QuickStart(GATEWAY);
        api.run();

        JsonNode cluster = api.get("/api/v1/cluster", 200);
        assertThat(cluster.path("nodes").size()).isEqualTo(3);
        JsonNode partition = api.get("/api/v1/partitions/my-application-logs", 200);
        assertThat(partition.path("shards").size()).as("shards spread over the storage nodes").isEqualTo(3);

        // Errors through the gateway are the services' problem details; unknown routes the gateway's own.
        assertThat(api.post("/api/v1/partitions/nope/logs", "{\"source\":\"s\",\"message\":\"m\"}", 404)
                .path("code").asString()).isEqualTo("PARTITION_NOT_FOUND");
        assertThat(api.post("/api/v1/partitions/my-application-logs/logs", "{\"source\":\"s\"}", 400)
                .path("field").asString()).isEqualTo("message");
        assertThat(api.get("/api/v1/nope", 404).path("code").asString()).isEqualTo("NOT_FOUND");

        // Every process: Kubernetes probes and a Prometheus scrape.
        for (int port : new int[] {7777, 7801, 7802, 7803, 7821, 7822, 7823, 7831, 7841}) {
            QuickStart process = new QuickStart("http://127.0.0.1:" + (port + OFFSET));
            assertThat(process.get("/actuator/health/liveness", 200).path("status").asString()).isEqualTo("UP");
            assertThat(process.get("/actuator/health/readiness", 200).path("status").asString()).isEqualTo("UP");
            assertThat(process.text("/actuator/prometheus")).contains("jvm_memory_used_bytes", "http_server_requests");
        }

        // The cluster credential (TDB-07): generated owner-only, and the internal routes refuse a
        // caller without it (the processes themselves, which present it, are all UP above).
        assertThat(Files.getPosixFilePermissions(CLUSTER_DIR.resolve("cluster-token"))).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(new QuickStart("http://127.0.0.1:" + (7801 + OFFSET)).post("/internal/v1/nodes",
                "{\"id\":\"intruder\",\"address\":\"http://127.0.0.1:9\"}", 401).path("code").asString())
                .isEqualTo("AUTHENTICATION_REQUIRED");
        assertThat(new QuickStart("http://127.0.0.1:" + (7821 + OFFSET)).get("/internal/v1/shards/p/0/version", 401)
                .path("code").asString()).isEqualTo("AUTHENTICATION_REQUIRED");

        String status = launcher("cluster", "status");
        assertThat(status).containsPattern("coordinator leader: coordinator-[123]");
        for (String node : new String[] {"coordinator-1", "coordinator-2", "coordinator-3", "storage-1", "storage-2",
                "storage-3", "ingest-1", "query-1", "gateway-1"}) {
            assertThat(status).containsPattern("(?m)^" + node + " .* UP$");
            assertThat(CLUSTER_DIR.resolve(node + ".pid")).exists();
        }
    }

    /**
     * The query language through the gateway, the query service merging the answers of three
     * shards on three nodes: entries in order across shards (pairs of entries share a second, so
     * ids break ties), a GROUP BY, MATCHES, pages by cursor, a syntax error and EXPLAIN, each
     * checked against what was ingested.
     */
    @Test
    void theQueryLanguageMergesTheShardsThroughTheGateway() {
        QuickStart api = new QuickStart(GATEWAY);
        String partitionId = api.post("/api/v1/partitions", "{\"name\":\"cluster-queries\"}", 201).path("id").asString();
        List<Ingested> ingested = ingest(api, "cluster-queries", 60);
        String from = " FROM \"cluster-queries\"";

        List<Ingested> errors = ingested.stream().filter(e -> e.level().equals("fatal"))
                .sorted(Ingested.NEWEST_FIRST).toList();
        JsonNode latest = api.query("SELECT *" + from + " WHERE level = 'fatal' ORDER BY time DESC LIMIT 7", null, 200);
        assertThat(ids(latest)).containsExactlyElementsOf(errors.subList(0, 7).stream().map(Ingested::id).toList());
        assertThat(latest.path("matched_entries").asLong()).isEqualTo(errors.size());
        assertThat(latest.path("partial").asBoolean()).isFalse();
        assertThat(latest.path("next_cursor").asString()).isNotBlank();

        JsonNode counts = api.query("SELECT level, count(*)" + from + " GROUP BY level", null, 200);
        assertThat(counts.path("rows").toString()).isEqualTo(Stream.of(LEVELS).sorted()
                .map(level -> "[\"" + level + "\"," + ingested.stream().filter(e -> e.level().equals(level)).count() + "]")
                .collect(Collectors.joining(",", "[", "]")));
        assertThat(counts.path("matched_entries").asLong()).isEqualTo(ingested.size());

        List<Ingested> retries = ingested.stream().filter(e -> e.message().startsWith("retrying"))
                .sorted(Ingested.NEWEST_FIRST).toList();
        JsonNode matches = api.query("SELECT *" + from + " WHERE message MATCHES 'timeout NOT connection'", null, 200);
        assertThat(ids(matches)).containsExactlyElementsOf(retries.stream().map(Ingested::id).toList());
        assertThat(matches.path("matched_entries").asLong()).isEqualTo(retries.size());

        // Oldest first, 7 a page: every page starts strictly after the last entry of the one before.
        List<Ingested> notInfo = ingested.stream().filter(e -> !e.level().equals("info"))
                .sorted(Ingested.NEWEST_FIRST.reversed()).toList();
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.query("SELECT *" + from + " WHERE level != 'info' ORDER BY time ASC LIMIT 7", cursor, 200);
            int left = notInfo.size() - paged.size();
            assertThat(page.path("matched_entries").asLong()).as("matches from the cursor on").isEqualTo(left);
            assertThat(page.path("entries").size()).isEqualTo(Math.min(7, left));
            assertThat(page.has("next_cursor")).as("a next page while more than a page is left").isEqualTo(left > 7);
            paged.addAll(ids(page));
            cursor = page.has("next_cursor") ? page.path("next_cursor").asString() : null;
        } while (cursor != null);
        assertThat(paged).doesNotHaveDuplicates()
                .containsExactlyElementsOf(notInfo.stream().map(Ingested::id).toList());

        JsonNode syntax = api.query("SELECT *" + from + "\nWHERE level = 'fatal' AND\nORDER BY time DESC", null, 400);
        assertProblem(syntax, "QUERY_SYNTAX", "query");
        assertThat(syntax.path("line").asInt()).isEqualTo(3);
        assertThat(syntax.path("column").asInt()).isEqualTo(1);

        JsonNode plan = api.query("EXPLAIN SELECT *" + from + " WHERE level = 'fatal' LIMIT 50", null, 200).path("plan");
        assertThat(plan.path("query").asString())
                .isEqualTo("SELECT * FROM \"cluster-queries\" WHERE tags.level = 'fatal' LIMIT 50");
        assertThat(plan.path("shards").propertyNames())
                .containsExactlyInAnyOrder(partitionId + "/0", partitionId + "/1", partitionId + "/2");
        assertThat(plan.path("shards").valueStream()
                .filter(shard -> shard.path("active_entries").asLong() > 0 || shard.path("blocks").asLong() > 0))
                .as("shards that hold entries").hasSizeGreaterThanOrEqualTo(2);
    }

    /**
     * TDB-06's auto-create in a cluster: bulk requests of tenant {@code acme} sent at once, through
     * the gateway, to an index no partition has. The ingest service creates the partition through
     * the coordinators' internal route (the requests race; the losers are told it exists), finds
     * it with a consistent read, and stores every item; a query of that tenant finds them all, and
     * another tenant does not see the partition. Then that route itself on every voter, so that a
     * follower's forward to the leader runs whichever voter leads: it needs the cluster credential.
     */
    @Test
    void aBulkToANewIndexCreatesItsPartitionInTheCallersTenantThroughTheCoordinators() throws Exception {
        QuickStart acme = new QuickStart(GATEWAY).withHeader("X-Scope-OrgID", "acme");
        int requests = 4;
        int perRequest = 25;
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        List<String> stored = new ArrayList<>();
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int r = 0; r < requests; r++) {
                StringBuilder body = new StringBuilder();
                for (int i = 0; i < perRequest; i++) {
                    body.append("{\"create\":{}}\n").append(QuickStart.JSON.writeValueAsString(Map.of(
                            "@timestamp", base.plusSeconds(r * perRequest + i).toString(),
                            "message", "bulk " + r + " line " + i, "host", Map.of("name", SOURCES[i % SOURCES.length]),
                            "level", LEVELS[r % LEVELS.length]))).append('\n');
                }
                answers.add(pool.submit(() -> acme.postAs("/es-auto-logs/_bulk", "application/x-ndjson", body.toString(), 200)));
            }
            for (Future<JsonNode> answer : answers) {
                JsonNode bulk = answer.get(2, TimeUnit.MINUTES);
                assertThat(bulk.path("errors").asBoolean()).as(bulk.toString()).isFalse();
                assertThat(bulk.path("items").valueStream().map(item -> item.path("create").path("status").asInt()))
                        .hasSize(perRequest).containsOnly(201);
                bulk.path("items").valueStream().map(item -> item.path("create").path("_id").asString()).forEach(stored::add);
            }
        } finally {
            pool.shutdownNow();
        }

        JsonNode partition = acme.get("/api/v1/partitions/es-auto-logs", 200);
        assertThat(partition.path("tenant").asString()).isEqualTo("acme");
        assertThat(partition.path("shards").size()).as("the coordinators' default shard count").isEqualTo(3);
        assertProblem(new QuickStart(GATEWAY).get("/api/v1/partitions/es-auto-logs", 404), "PARTITION_NOT_FOUND", null);
        JsonNode found = acme.query("SELECT * FROM \"es-auto-logs\" ORDER BY time ASC LIMIT 1000", null, 200);
        assertThat(found.path("matched_entries").asLong()).isEqualTo(requests * perRequest);
        assertThat(ids(found)).containsExactlyInAnyOrderElementsOf(stored);

        String token = Files.readString(CLUSTER_DIR.resolve("cluster-token")).trim();
        for (int port : new int[] {7801, 7802, 7803}) {
            QuickStart voter = new QuickStart("http://127.0.0.1:" + (port + OFFSET));
            assertThat(voter.post("/internal/v1/partitions", "{\"name\":\"direct-" + port + "\",\"tenant\":\"acme\"}", 401)
                    .path("code").asString()).isEqualTo("AUTHENTICATION_REQUIRED");
            QuickStart cluster = voter.withHeader("X-TimberDB-Cluster-Token", token);
            assertThat(cluster.post("/internal/v1/partitions", "{\"name\":\"direct-" + port + "\",\"tenant\":\"acme\"}", 200)
                    .path("tenant").asString()).isEqualTo("acme");
            assertProblem(cluster.post("/internal/v1/partitions", "{\"name\":\"es-auto-logs\",\"tenant\":\"acme\"}", 409),
                    "PARTITION_EXISTS", "name");
        }
        assertThat(acme.get("/api/v1/partitions", 200).path("partitions").valueStream().map(p -> p.path("name").asString()))
                .containsExactlyInAnyOrder("es-auto-logs", "direct-7801", "direct-7802", "direct-7803");
    }

    /**
     * TDB-04's failover: {@code kill -9} of the coordinator leader's process (the pid file under
     * the cluster directory named by {@code coordinator.leader}). While the survivors elect a new
     * leader, ingest and queries go on with their cached cluster views; then the new leader accepts
     * partition creation; {@code cluster up} restarts the killed voter, which catches up. The time
     * from the kill to the first creation accepted is printed, not asserted (the machine is shared
     * and noisy; {@code bench/coordinator-failover.sh} takes the median of 10 kills): the bound
     * here only says the cluster recovers at all.
     */
    @Test
    void theCoordinatorLeaderKilledTheSurvivorsTakeOverAndItRejoins() throws Exception {
        QuickStart api = new QuickStart(GATEWAY);
        api.post("/api/v1/partitions", "{\"name\":\"failover\"}", 201);
        // The ingest and query services learn of the partition from their cluster views (a watch):
        // the kill below is about what they do with a view they hold, so let them hold it first.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> api.postAny("/api/v1/partitions/failover/logs",
                        "{\"source\":\"web-01\",\"message\":\"before the kill\"}").path("ids").size() == 1);
        String leader = api.get("/api/v1/cluster", 200).path("coordinator").path("leader").asString();
        assertThat(leader).matches("coordinator-[123]");
        long pid = Long.parseLong(Files.readString(CLUSTER_DIR.resolve(leader + ".pid")).trim());

        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        assertThat(process.destroyForcibly()).isTrue(); // SIGKILL
        long killed = System.nanoTime();
        process.onExit().get(30, TimeUnit.SECONDS);

        // ingest and queries work on their cached views meanwhile
        List<Ingested> during = ingest(api, "failover", 12);
        assertThat(api.query("SELECT count(*) FROM \"failover\"", null, 200).path("matched_entries").asLong())
                .isEqualTo(during.size() + 1);

        String created = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> api.postAny("/api/v1/partitions", "{\"name\":\"after-failover\"}").path("id").asString(),
                        id -> !id.isEmpty());
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf("coordinator leader %s killed; a partition creation was accepted %d ms later%n",
                leader, took.toMillis());
        String newLeader = api.get("/api/v1/cluster", 200).path("coordinator").path("leader").asString();
        assertThat(newLeader).matches("coordinator-[123]").isNotEqualTo(leader);

        assertThat(launcher("cluster", "up", "--port-offset", String.valueOf(OFFSET)))
                .contains("TimberDB cluster is up");
        int port = 7800 + Integer.parseInt(leader.substring(leader.length() - 1)) + OFFSET;
        QuickStart restarted = new QuickStart("http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode view = restarted.get("/api/v1/cluster", 200);
            assertThat(view.path("coordinator").path("leader").asString()).isEqualTo(newLeader);
            assertThat(view.path("partitions").valueStream().map(p -> p.path("id").asString())).contains(created);
        });
    }

    /** An entry as it was ingested, with the id the cluster gave it. */
    record Ingested(String id, Instant timestamp, String level, String message) {

        /** The order of entry queries: newest first, among equal timestamps the larger id first. */
        static final Comparator<Ingested> NEWEST_FIRST =
                Comparator.comparing(Ingested::timestamp).thenComparing(Ingested::id).reversed();

        Ingested withId(String assigned) {
            return new Ingested(assigned, timestamp, level, message);
        }
    }

    /**
     * Ingests {@code count} entries in one request, over every source and level (so over the
     * partition's shards, which hash source and tags), two by two on the same second.
     */
    static List<Ingested> ingest(QuickStart api, String partition, int count) {
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        List<Map<String, Object>> inputs = new ArrayList<>();
        List<Ingested> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant at = base.plusSeconds(i / 2);
            String level = LEVELS[i / SOURCES.length % LEVELS.length];
            String message = switch (i % 3) {
                case 0 -> "GET /api/orders/" + i + " answered 200";
                case 1 -> "connection timeout to db-01 after 30 seconds";
                default -> "retrying request " + i + " after timeout";
            };
            inputs.add(Map.of("timestamp", at.toString(), "source", SOURCES[i % SOURCES.length],
                    "tags", Map.of("level", level), "message", message));
            sent.add(new Ingested(null, at, level, message));
        }
        JsonNode ids = api.post("/api/v1/partitions/" + partition + "/logs", QuickStart.JSON.writeValueAsString(inputs), 200)
                .path("ids");
        assertThat(ids.size()).isEqualTo(count);
        return IntStream.range(0, count).mapToObj(i -> sent.get(i).withId(ids.get(i).asString())).toList();
    }

    /** The ids of an answer's entries, in its order. */
    static List<String> ids(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        for (JsonNode entry : answer.path("entries")) {
            ids.add(entry.path("id").asString());
        }
        return ids;
    }

    static String launcher(String... args) throws IOException, InterruptedException {
        return CLUSTER.launcher(args);
    }

    /** Runs {@code ./timberdb args} on the jars the build made, its cluster under {@code clusterDir}. */
    static String launcherIn(Path clusterDir, String... args) throws IOException, InterruptedException {
        return new LocalCluster(clusterDir, 0).launcher(args);
    }
}
