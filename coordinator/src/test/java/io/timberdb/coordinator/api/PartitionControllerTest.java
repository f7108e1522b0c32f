package io.timberdb.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.RegisterNodeRequest;
import io.timberdb.model.api.UpdatePartitionRequest;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.cluster.PartitionCatalog;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The controllers' answers and error shapes, over in-memory implementations of their interfaces. */
class PartitionControllerTest {

    private static final Instant T0 = Instant.parse("2024-03-15T10:30:00Z");

    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final WebTestClient web = WebTestClient
            .bindToController(new PartitionController(catalog), new ClusterController(new FixedViews(catalog)),
                    new NodeController(new FixedNodes()))
            .controllerAdvice(new CoordinatorProblemDetailsAdvice())
            .configureClient()
            .responseTimeout(java.time.Duration.ofSeconds(30)) // the 5 s default is too short on a loaded 2-core machine
            .build();

    @Test
    void createAnswers200WithThePartition() {
        web.post().uri("/api/v1/partitions/create").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"my-application-logs\",\"tags\":{\"environment\":\"development\"},\"retention_days\":7}")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo("p-1")
                .jsonPath("$.name").isEqualTo("my-application-logs")
                .jsonPath("$.created_at").isEqualTo("2024-03-15T10:30:00Z")
                .jsonPath("$.retention_days").isEqualTo(7)
                .jsonPath("$.tags.environment").isEqualTo("development");
    }

    @Test
    void createResourceAnswers201WithLocation() {
        web.post().uri("/api/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"audit\"}")
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/api/v1/partitions/p-1")
                .expectBody().jsonPath("$.retention_days").isEqualTo(CreatePartitionRequest.DEFAULT_RETENTION_DAYS);
    }

    @Test
    void listsPartitionsUnderTheirKey() {
        create("one");
        create("two");

        web.get().uri("/api/v1/partitions").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.partitions.length()").isEqualTo(2)
                .jsonPath("$.partitions[0].name").isEqualTo("one")
                .jsonPath("$.partitions[1].id").isEqualTo("p-2");
    }

    @Test
    void getsAPartitionByIdOrName() {
        create("web");

        web.get().uri("/api/v1/partitions/web").exchange().expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo("p-1");
        web.get().uri("/api/v1/partitions/p-1").exchange().expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("web");
    }

    @Test
    void unknownPartitionIs404WithItsCode() {
        web.get().uri("/api/v1/partitions/nope").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("PARTITION_NOT_FOUND")
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.title").isEqualTo(ErrorCode.PARTITION_NOT_FOUND.title())
                .jsonPath("$.type").isEqualTo("https://timberdb.io/problems/partition-not-found")
                .jsonPath("$.instance").isEqualTo("/api/v1/partitions/nope");
    }

    @Test
    void missingNameIs400MissingFieldNamingTheField() {
        for (String body : List.of("{}", "{\"tags\":{}}")) {
            web.post().uri("/api/v1/partitions/create").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectBody()
                    .jsonPath("$.code").isEqualTo("MISSING_FIELD")
                    .jsonPath("$.field").isEqualTo("name");
        }
        web.post().uri("/api/v1/partitions/create").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("MISSING_FIELD").jsonPath("$.field").isEqualTo("name");
        assertThat(catalog.partitions).isEmpty();
    }

    @Test
    void invalidNameAndRetentionAre400InvalidField() {
        web.post().uri("/api/v1/partitions/create").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"-bad name\"}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_FIELD").jsonPath("$.field").isEqualTo("name");
        web.post().uri("/api/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"ok\",\"retention_days\":0}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_FIELD").jsonPath("$.field").isEqualTo("retention_days");
    }

    @Test
    void malformedJsonIs400MalformedJson() {
        web.post().uri("/api/v1/partitions/create").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": ").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("MALFORMED_JSON");
    }

    @Test
    void takenNameIs409PartitionExists() {
        create("web");

        web.post().uri("/api/v1/partitions/create").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"web\"}").exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("PARTITION_EXISTS").jsonPath("$.field").isEqualTo("name");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        web.method(HttpMethod.DELETE).uri("/api/v1/partitions").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().valueMatches("Allow", ".*GET.*")
                .expectBody().jsonPath("$.code").isEqualTo("METHOD_NOT_ALLOWED");
        web.get().uri("/api/v1/partitions/create").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("PARTITION_NOT_FOUND");
        web.get().uri("/internal/v1/nodes").exchange()
                .expectStatus().isEqualTo(405)
                .expectBody().jsonPath("$.code").isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void wrongContentTypeIs415() {
        web.post().uri("/api/v1/partitions/create").contentType(MediaType.TEXT_PLAIN).bodyValue("name=web").exchange()
                .expectStatus().isEqualTo(415)
                .expectBody().jsonPath("$.code").isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void clusterViewCarriesLeaderVotersAndPartitions() {
        create("web");

        web.get().uri("/api/v1/cluster").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.version").isEqualTo(1)
                .jsonPath("$.coordinator.leader").isEqualTo("coordinator-1")
                .jsonPath("$.coordinator.voters[0]").isEqualTo("coordinator-1")
                .jsonPath("$.partitions[0].name").isEqualTo("web")
                .jsonPath("$.partitions[0].shards[0].replicas[0]").isEqualTo("storage-1")
                .jsonPath("$.partitions[0].shards[0].isr[0]").isEqualTo("storage-1")
                .jsonPath("$.partitions[0].shards[0].epoch").isEqualTo(1);
    }

    @Test
    void registersANode() {
        web.post().uri("/internal/v1/nodes").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("id", "storage-1", "address", "http://127.0.0.1:7821")).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo("storage-1")
                .jsonPath("$.state").isEqualTo("ACTIVE");
        web.post().uri("/internal/v1/nodes").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("MISSING_FIELD").jsonPath("$.field").isEqualTo("id");
    }

    @Test
    void createTakesShardCountReplicationFactorMinIsrAndTenant() {
        web.post().uri("/api/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"web\",\"shard_count\":2,\"replication_factor\":3,\"min_insync_replicas\":2,"
                        + "\"tenant\":\"acme\"}")
                .exchange()
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.tenant").isEqualTo("acme")
                .jsonPath("$.replication_factor").isEqualTo(3)
                .jsonPath("$.min_insync_replicas").isEqualTo(2)
                .jsonPath("$.shards.length()").isEqualTo(2)
                .jsonPath("$.shards[1].node").isEqualTo("storage-1")
                .jsonPath("$.shards[1].replicas.length()").isEqualTo(3)
                .jsonPath("$.shards[1].isr[2]").isEqualTo("storage-3")
                .jsonPath("$.shards[1].epoch").isEqualTo(1);
    }

    @Test
    void outOfRangeShardsReplicasMinIsrAndTenantAre400NamingTheField() {
        Map<String, String> bodies = Map.of(
                "{\"name\":\"a\",\"shard_count\":0}", "shard_count",
                "{\"name\":\"a\",\"shard_count\":1025}", "shard_count",
                "{\"name\":\"a\",\"replication_factor\":0}", "replication_factor",
                "{\"name\":\"a\",\"replication_factor\":6}", "replication_factor",
                "{\"name\":\"a\",\"replication_factor\":2,\"min_insync_replicas\":3}", "min_insync_replicas",
                "{\"name\":\"a\",\"min_insync_replicas\":0}", "min_insync_replicas",
                "{\"name\":\"a\",\"tenant\":\"no spaces\"}", "tenant");
        bodies.forEach((body, field) -> web.post().uri("/api/v1/partitions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_FIELD").jsonPath("$.field").isEqualTo(field));
        assertThat(catalog.partitions).isEmpty();
    }

    @Test
    void aPartitionWithoutTenantBelongsToTheDefaultTenant() {
        create("web");

        web.get().uri("/api/v1/partitions/web").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.tenant").isEqualTo(Partition.DEFAULT_TENANT)
                .jsonPath("$.replication_factor").isEqualTo(1);
    }

    @Test
    void patchChangesRetentionAndTags() {
        create("web");

        web.patch().uri("/api/v1/partitions/web").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"retention_days\":9,\"tags\":{\"team\":\"ops\"}}").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.retention_days").isEqualTo(9).jsonPath("$.tags.team").isEqualTo("ops");
        web.patch().uri("/api/v1/partitions/p-1").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"retention_days\":0}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_FIELD").jsonPath("$.field").isEqualTo("retention_days");
        web.patch().uri("/api/v1/partitions/p-1").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("MISSING_FIELD");
        web.patch().uri("/api/v1/partitions/nope").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"retention_days\":3}").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("PARTITION_NOT_FOUND");
    }

    @Test
    void deleteAnswers204ThenTheNameIsFree() {
        create("web");

        web.delete().uri("/api/v1/partitions/web").exchange().expectStatus().isNoContent().expectBody().isEmpty();
        web.delete().uri("/api/v1/partitions/web").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("PARTITION_NOT_FOUND");
        assertThat(catalog.partitions).isEmpty();
    }

    @Test
    void registersZoneAndCapacityAndDrainsAndDecommissionsNodes() {
        web.post().uri("/internal/v1/nodes").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"id\":\"storage-1\",\"address\":\"http://s1\",\"zone\":\"eu-1a\",\"capacity_bytes\":100}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.zone").isEqualTo("eu-1a").jsonPath("$.capacity_bytes").isEqualTo(100);
        web.post().uri("/internal/v1/nodes/storage-1/drain").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("DRAINING");
        web.post().uri("/internal/v1/nodes/storage-1/activate").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("ACTIVE");
        web.post().uri("/internal/v1/nodes/storage-1/decommission").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("DECOMMISSIONED");
        web.post().uri("/internal/v1/nodes/storage-9/drain").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NODE_NOT_FOUND").jsonPath("$.field").isEqualTo("id");
    }

    private void create(String name) {
        catalog.create(new CreatePartitionRequest(name, null, null)).block();
    }

    /** A catalog in a list; ids p-1, p-2, ... Thread-confined to the test. */
    private static final class InMemoryCatalog implements PartitionCatalog {
        final List<Partition> partitions = new ArrayList<>();

        @Override
        public Mono<Partition> create(CreatePartitionRequest request) {
            CreatePartitionRequest valid = request.validated();
            if (partitions.stream().anyMatch(p -> p.name().equals(valid.name()))) {
                return Mono.error(new TimberException(ErrorCode.PARTITION_EXISTS, "taken", "name"));
            }
            int rf = valid.replicationFactor() == null ? 1 : valid.replicationFactor();
            List<String> replicas = List.of("storage-1", "storage-2", "storage-3", "storage-4", "storage-5").subList(0, rf);
            List<Partition.ShardPlacement> shards = new ArrayList<>();
            for (int shard = 0; shard < (valid.shardCount() == null ? 1 : valid.shardCount()); shard++) {
                shards.add(new Partition.ShardPlacement(shard, replicas, 1));
            }
            Partition p = new Partition("p-" + (partitions.size() + 1), valid.name(), valid.tags(), valid.retentionDays(),
                    T0, shards, null, null, null, valid.tenant(), rf,
                    valid.minInsyncReplicas() == null ? 1 : valid.minInsyncReplicas());
            partitions.add(p);
            return Mono.just(p);
        }

        @Override
        public Mono<Partition> update(String idOrName, UpdatePartitionRequest request) {
            return get(idOrName).map(p -> {
                Partition updated = p.withSettings(request.retentionDays() == null ? p.retentionDays() : request.retentionDays(),
                        request.tags() == null ? p.tags() : request.tags());
                partitions.set(partitions.indexOf(p), updated);
                return updated;
            });
        }

        @Override
        public Mono<Void> delete(String idOrName) {
            return get(idOrName).doOnNext(partitions::remove).then();
        }

        @Override
        public Mono<List<Partition>> list() {
            return Mono.just(List.copyOf(partitions));
        }

        @Override
        public Mono<Partition> get(String idOrName) {
            return Mono.justOrEmpty(partitions.stream().filter(p -> p.isNamed(idOrName)).findFirst())
                    .switchIfEmpty(Mono.error(() -> TimberException.partitionNotFound(idOrName)));
        }
    }

    /** Registers anything; knows only storage-1 for drains and decommissions. */
    private static final class FixedNodes implements NodeRegistry {
        @Override
        public Mono<StorageNode> register(RegisterNodeRequest request) {
            return request.id() == null ? Mono.error(TimberException.missingField("id"))
                    : Mono.just(new StorageNode(request.id(), request.address(), StorageNode.State.ACTIVE, T0,
                            request.zone(), request.capacityBytes()));
        }

        @Override
        public Mono<StorageNode> drain(String id) {
            return withState(id, StorageNode.State.DRAINING);
        }

        @Override
        public Mono<StorageNode> decommission(String id) {
            return withState(id, StorageNode.State.DECOMMISSIONED);
        }

        @Override
        public Mono<StorageNode> activate(String id) {
            return withState(id, StorageNode.State.ACTIVE);
        }

        private static Mono<StorageNode> withState(String id, StorageNode.State state) {
            return id.equals("storage-1") ? Mono.just(new StorageNode(id, "http://s1", state, T0))
                    : Mono.error(new TimberException(ErrorCode.NODE_NOT_FOUND, "no node " + id, "id"));
        }
    }

    private record FixedViews(InMemoryCatalog catalog) implements ClusterViewSource {
        @Override
        public ClusterView current() {
            return new ClusterView(catalog.partitions.size(),
                    new ClusterView.Coordinator("coordinator-1", List.of("coordinator-1")), List.of(), catalog.partitions);
        }

        @Override
        public Mono<ClusterView> refresh() {
            return Mono.just(current());
        }
    }
}
