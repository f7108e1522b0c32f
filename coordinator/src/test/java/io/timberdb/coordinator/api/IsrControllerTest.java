package io.timberdb.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.MetadataState;
import io.timberdb.model.api.AlterIsrRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * {@code POST /internal/v1/partitions/{id}/shards/{shard}/isr} over an in-memory state, with the
 * answers {@link RaftIsrRegistry} gives the leader's results; and the default replication factor
 * capped by the active nodes.
 */
class IsrControllerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final MetadataState state = new MetadataState();
    private final WebTestClient web = WebTestClient
            .bindToController(new IsrController(new InMemoryIsr()))
            .controllerAdvice(new CoordinatorProblemDetailsAdvice())
            .build();

    /** Applies the command to the state as the leader would, answering as {@link RaftIsrRegistry} does. */
    private final class InMemoryIsr implements IsrRegistry {
        @Override
        public Mono<Partition> alterIsr(String partitionId, int shard, AlterIsrRequest request) {
            return Mono.fromSupplier(() -> {
                AlterIsrRequest valid = request.validated();
                return RaftIsrRegistry.answer(state.apply(new Command.AlterIsr(partitionId, shard, valid.leader(),
                        valid.epoch(), valid.isr(), valid.newIsr())));
            });
        }
    }

    private Partition.ShardPlacement threeReplicas() {
        for (String id : List.of("n1", "n2", "n3")) {
            state.apply(new Command.RegisterNode(id, "http://" + id, T0));
        }
        state.apply(new Command.CreatePartition("p", "web", Map.of(), 7, T0, 1, null, 3, null, null));
        return state.view().partitions().get(0).shards().get(0);
    }

    @Test
    void aValidChangeAnswers200WithThePartition() {
        Partition.ShardPlacement shard = threeReplicas();
        String leader = shard.node();

        web.post().uri("/internal/v1/partitions/p/shards/0/isr").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body(leader, 1, shard.replicas(), List.of(leader, shard.replicas().get(1))))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo("p")
                .jsonPath("$.shards[0].isr.length()").isEqualTo(2)
                .jsonPath("$.shards[0].epoch").isEqualTo(1);
        assertThat(state.view().partitions().get(0).shards().get(0).isr()).containsExactly(leader, shard.replicas().get(1));
    }

    @Test
    void aStaleChangeIs409IsrConflictWithTheCurrentPlacement() {
        Partition.ShardPlacement shard = threeReplicas();
        long version = state.version();

        web.post().uri("/internal/v1/partitions/p/shards/0/isr").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body(shard.node(), 7, shard.replicas(), List.of(shard.node())))
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("ISR_CONFLICT")
                .jsonPath("$.placement.node").isEqualTo(shard.node())
                .jsonPath("$.placement.epoch").isEqualTo(1)
                .jsonPath("$.placement.isr.length()").isEqualTo(3)
                .jsonPath("$.placement.replicas[0]").isEqualTo(shard.node());
        assertThat(state.version()).isEqualTo(version);
    }

    @Test
    void unknownPartitionsAndShardsAre404() {
        Partition.ShardPlacement shard = threeReplicas();
        String body = body(shard.node(), 1, shard.replicas(), List.of(shard.node()));

        web.post().uri("/internal/v1/partitions/nope/shards/0/isr").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("PARTITION_NOT_FOUND");
        web.post().uri("/internal/v1/partitions/p/shards/3/isr").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectStatus().isNotFound().expectBody()
                .jsonPath("$.code").isEqualTo("PARTITION_NOT_FOUND")
                .jsonPath("$.field").isEqualTo("shard");
    }

    @Test
    void badBodiesAre400NamingTheFieldAndChangeNothing() {
        Partition.ShardPlacement shard = threeReplicas();
        long version = state.version();

        expect400(body(shard.node(), 1, shard.replicas(), List.of()), "INVALID_FIELD", "new_isr");
        expect400(body(shard.node(), 1, shard.replicas(), List.of(shard.replicas().get(1))), "INVALID_FIELD", "new_isr");
        expect400(body(shard.node(), 1, shard.replicas(), List.of(shard.node(), "n9")), "INVALID_FIELD", "new_isr");
        expect400("{\"leader\":\"" + shard.node() + "\",\"isr\":[],\"new_isr\":[]}", "MISSING_FIELD", "epoch");
        expect400("{\"epoch\":1,\"isr\":[],\"new_isr\":[]}", "MISSING_FIELD", "leader");
        assertThat(state.version()).isEqualTo(version);
    }

    @Test
    void theDefaultReplicationFactorIsCappedByTheActiveNodes() {
        ClusterView none = state.view();
        state.apply(new Command.RegisterNode("n1", "http://n1", T0));
        state.apply(new Command.RegisterNode("n2", "http://n2", T0));
        ClusterView two = state.view();
        state.apply(new Command.SetNodeState("n2", StorageNode.State.DRAINING, T0));
        ClusterView oneActive = state.view();

        assertThat(RaftPartitionCatalog.defaultReplicationFactor(3, none)).isEqualTo(1);
        assertThat(RaftPartitionCatalog.defaultReplicationFactor(3, two)).isEqualTo(2);
        assertThat(RaftPartitionCatalog.defaultReplicationFactor(3, oneActive)).isEqualTo(1);
        assertThat(RaftPartitionCatalog.defaultReplicationFactor(1, two)).isEqualTo(1);
    }

    @Test
    void aForwardingVoterRelaysTheConflictWithItsPlacement() {
        Map<String, Object> placement = Map.of("shard", 0, "node", "n2", "replicas", List.of("n2", "n1"),
                "isr", List.of("n2"), "epoch", 4);
        Map<String, Object> problem = new java.util.HashMap<>(Map.of("type", "https://timberdb.io/problems/isr-conflict",
                "title", "t", "status", 409, "detail", "the shard is led by n2 at epoch 4", "instance", "/x",
                "code", "ISR_CONFLICT", "placement", placement));
        problem.put("unknown", null);

        RuntimeException relayed = LeaderForwarder.relayed(org.springframework.http.HttpStatusCode.valueOf(409), problem);

        assertThat(relayed).isInstanceOfSatisfying(io.timberdb.model.error.TimberException.class, e -> {
            assertThat(e.code()).isEqualTo(io.timberdb.model.error.ErrorCode.ISR_CONFLICT);
            assertThat(e.getMessage()).isEqualTo("the shard is led by n2 at epoch 4");
            assertThat(e.properties()).isEqualTo(Map.of("placement", placement));
        });
    }

    private void expect400(String body, String code, String field) {
        web.post().uri("/internal/v1/partitions/p/shards/0/isr").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo(code)
                .jsonPath("$.field").isEqualTo(field);
    }

    private static String body(String leader, long epoch, List<String> isr, List<String> newIsr) {
        return "{\"leader\":\"" + leader + "\",\"epoch\":" + epoch + ",\"isr\":" + json(isr) + ",\"new_isr\":"
                + json(newIsr) + "}";
    }

    private static String json(List<String> nodes) {
        return nodes.stream().map(n -> "\"" + n + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }
}
