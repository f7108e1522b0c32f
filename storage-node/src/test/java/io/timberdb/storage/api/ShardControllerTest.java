package io.timberdb.storage.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.query.PartialGroup;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardVersion;
import io.timberdb.storage.StorageNodeApplication;
import io.timberdb.storage.index.Tokenizer;
import io.timberdb.storage.shard.StorageProperties;
import io.timberdb.storage.wal.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;

/** The internal shard routes, health and actuator endpoints of the assembled storage node. */
@SpringBootTest(classes = StorageNodeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@AutoConfigureWebTestClient
@Import(ShardControllerTest.View.class)
class ShardControllerTest {

    /**
     * The cluster view: this node ({@code storage-1}) leads every shard the tests write, one
     * replica each, except {@code p-elsewhere}, which {@code storage-2} leads.
     */
    @TestConfiguration
    static class View {
        @Bean
        @Primary
        ClusterViewSource fixedView() {
            List<Partition> partitions = new java.util.ArrayList<>();
            for (String name : List.of("p-web", "p-lang", "p-ver", "p")) {
                partitions.add(new Partition(name, name, Map.of(), 7, Instant.EPOCH,
                        List.of(new Partition.ShardPlacement(0, "storage-1"))));
            }
            partitions.add(new Partition("p-elsewhere", "p-elsewhere", Map.of(), 7, Instant.EPOCH,
                    List.of(new Partition.ShardPlacement(0, "storage-2"))));
            return ClusterViewSource.fixed(new ClusterView(1, new ClusterView.Coordinator(null, List.of()),
                    List.of(new StorageNode("storage-1", "http://127.0.0.1:1", StorageNode.State.ACTIVE, Instant.EPOCH),
                            new StorageNode("storage-2", "http://127.0.0.1:2", StorageNode.State.ACTIVE, Instant.EPOCH)),
                    partitions));
        }
    }

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("timberdb.data-dir", () -> dataDir.toString());
        registry.add("timberdb.coordinators", () -> "http://127.0.0.1:9");
    }

    private static final String ENTRIES = """
            [{"id":"0190c3a2-0000-7000-8000-000000000001","timestamp":"2024-07-01T12:00:00Z",
              "source":"web","tags":{"env":"prod"},"message":"GET / 200"},
             {"id":"0190c3a2-0000-7000-8000-000000000002","timestamp":"2024-07-01T12:00:05.5Z",
              "source":"web","tags":{"env":"dev"},"message":"GET /x 500"},
             {"id":"0190c3a2-0000-7000-8000-000000000003","timestamp":"2024-07-01T12:00:03Z",
              "source":"api","message":"ok"}]
            """;

    @Autowired
    WebTestClient http;

    @Autowired
    StorageProperties storage;

    @Test
    void appendAnswers204AndTheQueryRouteReturnsNewestMatchesWithCounts() {
        http.post().uri("/internal/v1/shards/p-web/0/entries").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(ENTRIES).exchange()
                .expectStatus().isNoContent()
                .expectBody().isEmpty();
        http.post().uri("/internal/v1/shards/p-web/0/query").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"filter\":{\"source\":\"web\"},\"limit\":1}").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.entries.length()").isEqualTo(1)
                .jsonPath("$.entries[0].id").isEqualTo("0190c3a2-0000-7000-8000-000000000002")
                .jsonPath("$.entries[0].tags.env").isEqualTo("dev")
                .jsonPath("$.scanned").isEqualTo(3)
                .jsonPath("$.matched").isEqualTo(2);
        http.post().uri("/internal/v1/shards/p-web/0/query").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"filter\":{\"time_range\":[\"2024-07-01T12:00:03Z\",null],"
                        + "\"message_contains\":\"o\"},\"limit\":10}").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.entries[*].id").isEqualTo("0190c3a2-0000-7000-8000-000000000003");
    }

    @Test
    void theQueryRouteRunsTheLanguageAndAnswersPartialGroupsThatReadBack() {
        http.post().uri("/internal/v1/shards/p-lang/0/entries").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(ENTRIES).exchange()
                .expectStatus().isNoContent();
        String entries = "{\"limit\":2,\"now\":\"2024-07-01T13:00:00Z\",\"query\":"
                + "\"SELECT * FROM * WHERE source = 'web' OR message CONTAINS 'ok' ORDER BY time ASC LIMIT 2\"}";
        langQuery(entries)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.entries[*].id").isEqualTo(List.of("0190c3a2-0000-7000-8000-000000000001",
                        "0190c3a2-0000-7000-8000-000000000003"))
                .jsonPath("$.matched").isEqualTo(3)
                .jsonPath("$.plan.active_entries").isEqualTo(3);
        String grouped = "{\"limit\":10,\"now\":\"2024-07-01T13:00:00Z\",\"query\":"
                + "\"SELECT source, count(*), top(tags.env, 1), count_distinct(tags.env) FROM * WHERE time > now() - 2h "
                + "GROUP BY source\"}";
        ShardQueryResult result = langQuery(grouped)
                .expectStatus().isOk()
                .expectBody(ShardQueryResult.class).returnResult().getResponseBody();
        assertThat(result.groups()).extracting(PartialGroup::key).containsExactlyInAnyOrder(List.of("web"), List.of("api"));
        PartialGroup web = result.groups().stream().filter(g -> g.key().equals(List.of("web"))).findFirst().orElseThrow();
        assertThat(web.states().get(0)).isNull();
        assertThat(web.states().get(1).count()).isEqualTo(2);
        assertThat(web.states().get(2).counts()).isEqualTo(Map.of("prod", 1L, "dev", 1L));
        assertThat(web.states().get(3).distinct().estimate()).isEqualTo(2);
        assertThat(web.states().get(2).distinct()).isNull();
    }

    @Test
    void aLanguageQueryWithoutNowOrWithBadSyntaxIsABadRequest() {
        langQuery("{\"limit\":1,\"query\":\"SELECT * FROM *\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("now");
        langQuery("{\"limit\":1,\"now\":\"2024-07-01T13:00:00Z\",\"query\":\"SELECT FROM\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("QUERY_SYNTAX");
    }

    private WebTestClient.ResponseSpec langQuery(String body) {
        return http.post().uri("/internal/v1/shards/p-lang/0/query").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    @Test
    void aShardNeverWrittenAnswersAnEmptyResult() {
        http.post().uri("/internal/v1/shards/p-none/4/query").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"limit\":10}").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.entries.length()").isEqualTo(0).jsonPath("$.scanned").isEqualTo(0);
    }

    @Test
    void theVersionRouteAnswersTheShardsDataVersionWhichAnAppendChanges() {
        assertThat(version("p-none", 0)).isEqualTo(ShardVersion.ABSENT);
        ShardVersion absent = version("p-ver", 0);
        http.post().uri("/internal/v1/shards/p-ver/0/entries").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(ENTRIES).exchange()
                .expectStatus().isNoContent();
        ShardVersion written = version("p-ver", 0);
        assertThat(written).isNotEqualTo(absent);
        assertThat(http.post().uri("/internal/v1/shards/p-ver/0/query").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"limit\":1}").exchange()
                .expectStatus().isOk()
                .expectBody(ShardQueryResult.class).returnResult().getResponseBody().version()).isEqualTo(written);
    }

    @Test
    void anAppendToAShardAnotherNodeLeadsIsRefusedWithNotLeaderAndTheLeaderNamed() {
        http.post().uri("/internal/v1/shards/p-elsewhere/0/entries").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(ENTRIES).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody()
                .jsonPath("$.code").isEqualTo("NOT_LEADER")
                .jsonPath("$.leader").isEqualTo("storage-2")
                .jsonPath("$.epoch").isEqualTo(1);
        assertThat(version("p-elsewhere", 0)).isEqualTo(ShardVersion.ABSENT);
    }

    private ShardVersion version(String partition, int shard) {
        return http.get().uri("/internal/v1/shards/{p}/{s}/version", partition, shard).exchange()
                .expectStatus().isOk()
                .expectBody(ShardVersion.class).returnResult().getResponseBody();
    }

    @Test
    void malformedJsonIsAProblemDetail() {
        http.post().uri("/internal/v1/shards/p-web/0/entries").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"id\": ").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("MALFORMED_JSON");
    }

    @Test
    void anUnusablePartitionIdIsAnInvalidField() {
        http.post().uri("/internal/v1/shards/{p}/0/entries", "..").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[]").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_FIELD").jsonPath("$.field").isEqualTo("partition");
        http.post().uri("/internal/v1/shards/p/x/query").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"limit\":1}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_FIELD");
    }

    @Test
    void aNegativeLimitIsAnInvalidField() {
        http.post().uri("/internal/v1/shards/p-web/0/query").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"limit\":-1}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("limit");
    }

    @Test
    void unknownRoutesAndWrongMethodsAreProblemDetails() {
        http.get().uri("/internal/v1/nope").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        http.get().uri("/internal/v1/shards/p/0/entries").exchange()
                .expectStatus().isEqualTo(405)
                .expectBody().jsonPath("$.code").isEqualTo("METHOD_NOT_ALLOWED");
        http.post().uri("/internal/v1/shards/p/0/entries").contentType(MediaType.TEXT_PLAIN).bodyValue("x").exchange()
                .expectStatus().isEqualTo(415)
                .expectBody().jsonPath("$.code").isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Autowired
    io.timberdb.storage.replication.ReplicaManager replicas;

    /** The replica manager takes its roles from the view within a check interval of the start. */
    private void awaitRoles() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> replicas.roles().get("leading") == 4);
    }

    @Test
    void healthReportsTheStorageRoleAndItsDetails() {
        awaitRoles();
        http.get().uri("/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.role").isEqualTo("storage")
                .jsonPath("$.node_id").isEqualTo("storage-1")
                .jsonPath("$.details.data_dir").isEqualTo(dataDir.toAbsolutePath().toString())
                .jsonPath("$.details.registered").isEqualTo("no")
                .jsonPath("$.details.shards_open").isNumber()
                .jsonPath("$.details.entries").isNumber()
                // the view makes this node the only replica of p-web, p-lang, p-ver and p: it leads them
                .jsonPath("$.details.replicas.leading").isEqualTo(4)
                .jsonPath("$.details.replicas.following").isEqualTo(0)
                .jsonPath("$.details.replicas.under_replicated").isEqualTo(0);
    }

    @Test
    void actuatorProbesAndPrometheusAreExposed() {
        awaitRoles();
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("jvm_")
                        .contains("timberdb_replication_leaders 4.0").contains("timberdb_replication_under_replicated"));
    }

    @Test
    void storagePropertiesHaveTheDocumentedDefaults() {
        assertThat(storage.fsyncPolicy()).isEqualTo(FsyncPolicy.PER_BATCH);
        assertThat(storage.queueCapacity()).isEqualTo(1024);
        assertThat(storage.segmentSize()).isEqualTo(DataSize.ofMegabytes(64));
        assertThat(storage.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(storage.advertisedAddress()).isNull();
        assertThat(storage.maxUnsealedSize()).isEqualTo(DataSize.ofMegabytes(192));
        assertThat(storage.storeOptions().blocks().tokenizer()).isEqualTo(new Tokenizer(3, 50));
        assertThat(storage.storeOptions().blocks().compression().level()).isEqualTo(3);
    }
}
