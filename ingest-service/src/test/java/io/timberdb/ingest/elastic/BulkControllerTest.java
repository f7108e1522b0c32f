package io.timberdb.ingest.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.ingest.api.IngestProblems;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.UpdatePartitionRequest;
import io.timberdb.model.client.CoordinatorClient;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.cluster.PartitionCatalog;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardWriter;
import io.timberdb.model.web.NodeIdentity;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bulk and probe routes over an in-memory cluster view, partition catalog and shard writer.
 */
class BulkControllerTest {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    final List<Partition> partitions = new CopyOnWriteArrayList<>(List.of(partition("logs")));
    final List<LogEntry> written = new CopyOnWriteArrayList<>();
    final AtomicBoolean busy = new AtomicBoolean();
    final ShardWriter writer = (node, shard, entries) -> busy.get()
            ? Mono.error(new TimberException(ErrorCode.UNAVAILABLE, "shard " + shard + " is busy"))
            : Mono.fromRunnable(() -> written.addAll(entries));
    final ClusterViewSource view = new ClusterViewSource() {
        @Override
        public ClusterView current() {
            return new ClusterView(1, null, List.of(), List.copyOf(partitions));
        }

        @Override
        public Mono<ClusterView> refresh() {
            return Mono.fromSupplier(this::current);
        }
    };
    final PartitionCatalog catalog = new PartitionCatalog() {
        @Override
        public Mono<Partition> create(CreatePartitionRequest request) {
            return Mono.fromSupplier(() -> {
                Partition created = partition(request.name());
                partitions.add(created);
                return created;
            });
        }

        @Override
        public Mono<List<Partition>> list(String tenant) {
            return Mono.just(partitions);
        }

        @Override
        public Mono<Partition> get(String tenant, String idOrName) {
            return view.partition(tenant, idOrName);
        }

        @Override
        public Mono<Partition> update(String tenant, String idOrName, UpdatePartitionRequest request) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<Void> delete(String tenant, String idOrName) {
            return Mono.error(new UnsupportedOperationException());
        }
    };

    static Partition partition(String name) {
        return new Partition("p-" + name, name, Map.of(), 30, Instant.EPOCH, List.of(new Partition.ShardPlacement(0, "local")));
    }

    WebTestClient client(boolean autoCreate) {
        return client(autoCreate, 256 * 1024);
    }

    WebTestClient client(boolean autoCreate, int maxBodySize) {
        ElasticsearchProperties props = ElasticsearchProperties.defaults().withAutoCreatePartitions(autoCreate);
        InstantSource clock = InstantSource.fixed(NOW);
        var catalogs = new StaticListableBeanFactory(Map.of("catalog", catalog)).getBeanProvider(PartitionCatalog.class);
        BulkController bulk = new BulkController(new EntryRouter(view, writer, clock), catalogs,
                new StaticListableBeanFactory().getBeanProvider(CoordinatorClient.class), props, clock,
                JsonMapper.builder().build());
        ProbeController probe = new ProbeController(new NodeIdentity("ingest-1", "ingest", "0.1.0", NOW), props);
        return WebTestClient.bindToController(bulk, probe).controllerAdvice(new IngestProblems())
                .webFilter(new ElasticProductHeader())
                .httpMessageCodecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxBodySize)).build();
    }

    WebTestClient.ResponseSpec post(WebTestClient client, String uri, String body) {
        return client.post().uri(uri).contentType(MediaType.APPLICATION_NDJSON).bodyValue(body).exchange();
    }

    @Test
    void storesAFilebeatBatchAndAnswersEachItemCreatedInOrder() {
        post(client(false), "/logs/_bulk", """
                {"create":{}}
                {"@timestamp":"2026-11-26T10:30:00Z","message":"one","host":{"name":"web-1"},"log":{"file":{"path":"/var/log/a.log"}},"agent":{"type":"filebeat"}}
                {"create":{}}
                {"@timestamp":"2026-11-26T10:30:01Z","message":"two","host":{"name":"web-1"},"log":{"file":{"path":"/var/log/a.log"}},"agent":{"type":"filebeat"}}
                """)
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Elastic-Product", "Elasticsearch")
                .expectBody()
                .jsonPath("$.errors").isEqualTo(false)
                .jsonPath("$.took").isNumber()
                .jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[0].create._index").isEqualTo("logs")
                .jsonPath("$.items[0].create.status").isEqualTo(201)
                .jsonPath("$.items[0].create.result").isEqualTo("created")
                .jsonPath("$.items[1].create._id").isNotEmpty();
        assertThat(written).extracting(LogEntry::message).containsExactly("one", "two");
        LogEntry first = written.get(0);
        assertThat(first.timestamp()).isEqualTo(Instant.parse("2026-11-26T10:30:00Z"));
        assertThat(first.source()).isEqualTo("web-1");
        assertThat(first.tags()).containsExactly(Map.entry("agent.type", "filebeat"), Map.entry("log.file.path", "/var/log/a.log"));
    }

    @Test
    void answersEachItemInElasticsearchsFullShape() {
        byte[] answer = post(client(false), "/_bulk", """
                {"create":{"_index":"logs","_id":"c1"}}
                {"message":"stored","host":"h"}
                {"index":{"_id":"i1"}}
                {"message":"no index","host":"h"}
                {"index":{"_index":"logs"}}
                {"host":"h"}
                """).expectStatus().isOk().expectBody().returnResult().getResponseBody();
        String stored = written.get(0).id();
        assertThat(new String(answer, java.nio.charset.StandardCharsets.UTF_8).replaceFirst("\\{\"took\":\\d+,", "{\"took\":0,"))
                .isEqualTo("{\"took\":0,\"items\":["
                        + "{\"create\":{\"_index\":\"logs\",\"_id\":\"" + stored + "\",\"_version\":1,\"result\":\"created\","
                        + "\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0},\"_seq_no\":0,\"_primary_term\":1,\"status\":201}},"
                        + "{\"index\":{\"_index\":null,\"_id\":\"i1\",\"status\":400,\"error\":{\"type\":"
                        + "\"action_request_validation_exception\",\"reason\":\"index is missing: name it in the path "
                        + "(POST /{index}/_bulk) or as the action's _index\"}}},"
                        + "{\"index\":{\"_index\":\"logs\",\"_id\":null,\"status\":400,\"error\":{\"type\":"
                        + "\"document_parsing_exception\",\"reason\":\"the document has no message: none of "
                        + "[message, log, msg] holds a value\",\"index\":\"logs\"}}}"
                        + "],\"errors\":true}");
    }

    @Test
    void answersStoredItemsOfDifferentActionsAndIndexesEachWithItsOwn() {
        byte[] answer = post(client(true), "/_bulk", """
                {"create":{"_index":"logs"}}
                {"message":"m1","host":"h"}
                {"index":{"_index":"more"}}
                {"message":"m2","host":"h"}
                {"index":{"_index":"more"}}
                {"message":"m3","host":"h"}
                {"create":{"_index":"logs"}}
                {"message":"m4","host":"h"}
                """).expectStatus().isOk().expectBody().returnResult().getResponseBody();
        Map<String, String> ids = new HashMap<>();
        written.forEach(entry -> ids.put(entry.message(), entry.id()));
        String created = ",\"_version\":1,\"result\":\"created\",\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0},"
                + "\"_seq_no\":0,\"_primary_term\":1,\"status\":201}}";
        assertThat(ids).hasSize(4);
        assertThat(new String(answer, java.nio.charset.StandardCharsets.UTF_8).replaceFirst("\\{\"took\":\\d+,", "{\"took\":0,"))
                .isEqualTo("{\"took\":0,\"items\":["
                        + "{\"create\":{\"_index\":\"logs\",\"_id\":\"" + ids.get("m1") + "\"" + created + ","
                        + "{\"index\":{\"_index\":\"more\",\"_id\":\"" + ids.get("m2") + "\"" + created + ","
                        + "{\"index\":{\"_index\":\"more\",\"_id\":\"" + ids.get("m3") + "\"" + created + ","
                        + "{\"create\":{\"_index\":\"logs\",\"_id\":\"" + ids.get("m4") + "\"" + created
                        + "],\"errors\":false}");
    }

    @Test
    void storesTheGoodItemsAndReportsTheBadOnesInRequestOrder() {
        post(client(false), "/_bulk", """
                {"index":{"_index":"logs"}}
                {"message":"good 1","host":"h"}
                {"index":{"_index":"logs"}}
                {"host":"h","level":"info"}
                {"delete":{"_index":"logs","_id":"x"}}
                {"create":{"_index":"logs"}}
                {"message":"good 2","host":"h","@timestamp":"yesterday"}
                {"update":{"_index":"logs","_id":"y"}}
                {"doc":{"message":"u"}}
                {"index":{"_index":"logs"}}
                {"message":"good 3","host":"h","@timestamp":1700000000000}
                {"index":{"_index":"logs"}}
                not json
                """)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.errors").isEqualTo(true)
                .jsonPath("$.items.length()").isEqualTo(7)
                .jsonPath("$.items[0].index.status").isEqualTo(201)
                .jsonPath("$.items[1].index.status").isEqualTo(400)
                .jsonPath("$.items[1].index.error.type").isEqualTo("document_parsing_exception")
                .jsonPath("$.items[2].delete.status").isEqualTo(400)
                .jsonPath("$.items[2].delete._id").isEqualTo("x")
                .jsonPath("$.items[2].delete.error.type").isEqualTo("illegal_argument_exception")
                .jsonPath("$.items[3].create.status").isEqualTo(400)
                .jsonPath("$.items[3].create.error.reason").value(r -> assertThat((String) r).contains("timestamp"))
                .jsonPath("$.items[4].update.error.reason").value(r -> assertThat((String) r).contains("append-only"))
                .jsonPath("$.items[5].index.status").isEqualTo(201)
                .jsonPath("$.items[6].index.error.type").isEqualTo("document_parsing_exception");
        assertThat(written).extracting(LogEntry::message).containsExactly("good 1", "good 3");
        assertThat(written.get(1).timestamp()).isEqualTo(Instant.ofEpochMilli(1700000000000L));
    }

    @Test
    void anUnknownIndexIsNotFoundWithAutoCreateOffAndCreatedWithItOn() {
        String body = """
                {"index":{}}
                {"message":"m","host":"h"}
                {"create":{"_index":"logs"}}
                {"message":"into logs","host":"h"}
                """;
        post(client(false), "/app-2026.11.26/_bulk", body)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.errors").isEqualTo(true)
                .jsonPath("$.items[0].index.status").isEqualTo(404)
                .jsonPath("$.items[0].index.error.type").isEqualTo("index_not_found_exception")
                .jsonPath("$.items[1].create._index").isEqualTo("logs")
                .jsonPath("$.items[1].create.status").isEqualTo(201);
        assertThat(partitions).extracting(Partition::name).containsExactly("logs");

        post(client(true), "/app-2026.11.26/_bulk", body)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.errors").isEqualTo(false)
                .jsonPath("$.items[0].index._index").isEqualTo("app-2026.11.26")
                .jsonPath("$.items[0].index.status").isEqualTo(201);
        assertThat(partitions).extracting(Partition::name).containsExactly("logs", "app-2026.11.26");
        assertThat(written).extracting(LogEntry::message).containsExactly("into logs", "m", "into logs");
    }

    @Test
    void anIndexThatCannotBeAPartitionNameIsRefusedPerItem() {
        post(client(true), "/_bulk", "{\"index\":{\"_index\":\"_bad*\"}}\n{\"message\":\"m\"}\n")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[0].index.status").isEqualTo(400)
                .jsonPath("$.items[0].index.error.type").isEqualTo("invalid_index_name_exception");
        assertThat(written).isEmpty();
    }

    @Test
    void aFailingStoreFailsTheWholeRequestWithItsStatus() {
        busy.set(true);
        post(client(false), "/logs/_bulk", "{\"index\":{}}\n{\"message\":\"m\"}\n{\"delete\":{\"_id\":\"1\"}}\n")
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("X-Elastic-Product", "Elasticsearch")
                .expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.code").isEqualTo("UNAVAILABLE");
        assertThat(written).isEmpty();
    }

    @Test
    void aMalformedActionLineIsAProblemNamingTheLineAndJsonContentIsReadAsNdjson() {
        client(false).post().uri("/logs/_bulk").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"index\":{}}\n{\"message\":\"m\"}\n{\"index\":\n")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("MALFORMED_JSON")
                .jsonPath("$.field").isEqualTo("line[3]");
        client(false).post().uri("/logs/_bulk").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"index\":{}}\n{\"message\":\"m\"}\n").exchange()
                .expectStatus().isOk();
        assertThat(written).hasSize(1);
    }

    @Test
    void aBodyOverTheMaximumSizeIs413() {
        String item = "{\"index\":{}}\n{\"message\":\"" + "x".repeat(100) + "\"}\n";
        post(client(false, 1024), "/logs/_bulk", item.repeat(20))
                .expectStatus().isEqualTo(413)
                .expectHeader().valueEquals("X-Elastic-Product", "Elasticsearch")
                .expectBody().jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(written).isEmpty();
    }

    @Test
    void acceptsTheOfficialClientsVendorMediaTypesInSuccessAndInError() {
        MediaType ndjson = MediaType.parseMediaType("application/vnd.elasticsearch+x-ndjson;compatible-with=8");
        String accept = "application/vnd.elasticsearch+json;compatible-with=8";
        WebTestClient client = client(false);
        client.post().uri("/logs/_bulk").contentType(ndjson).header("Accept", accept)
                .bodyValue("{\"index\":{}}\n{\"message\":\"m\"}\n").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].index.status").isEqualTo(201);
        client.get().uri("/").header("Accept", accept).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.version.number").isEqualTo("8.11.0");
        busy.set(true);
        client.post().uri("/logs/_bulk").contentType(ndjson).header("Accept", accept)
                .bodyValue("{\"index\":{}}\n{\"message\":\"m\"}\n").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("X-Elastic-Product", "Elasticsearch");
    }

    @Test
    void anEmptyBodyIsAProblem() {
        client(false).post().uri("/_bulk").contentType(MediaType.APPLICATION_NDJSON).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("MISSING_FIELD");
    }

    @Test
    void answersTheProbesWithAnElasticsearchVersionAndTheProductHeader() {
        WebTestClient client = client(false);
        client.get().uri("/").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Elastic-Product", "Elasticsearch")
                .expectBody()
                .jsonPath("$.version.number").isEqualTo("8.11.0")
                .jsonPath("$.tagline").isEqualTo("You Know, for Search")
                .jsonPath("$.name").isEqualTo("ingest-1");
        client.head().uri("/").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Elastic-Product", "Elasticsearch");
        client.get().uri("/_license").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.license.type").isEqualTo("basic");
    }
}
