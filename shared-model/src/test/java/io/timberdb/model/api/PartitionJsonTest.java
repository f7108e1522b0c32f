package io.timberdb.model.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The partition and node JSON of model v2, and the shape before replicas read into it. */
class PartitionJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant T0 = Instant.parse("2024-03-15T10:30:00Z");

    @Test
    void theShapeBeforeReplicasReadsAsOneInSyncReplicaAtEpochOneOfTheDefaultTenant() {
        String old = "{\"version\":3,\"coordinator\":{\"leader\":null,\"voters\":[]},"
                + "\"nodes\":[{\"id\":\"storage-1\",\"address\":\"http://s1\",\"state\":\"ACTIVE\",\"registered_at\":\"2024-03-15T10:30:00Z\"}],"
                + "\"partitions\":[{\"id\":\"p-1\",\"name\":\"web\",\"tags\":{},\"retention_days\":7,"
                + "\"created_at\":\"2024-03-15T10:30:00Z\",\"shards\":[{\"shard\":0,\"node\":\"storage-1\"}]}]}";

        ClusterView view = JSON.readValue(old, ClusterView.class);

        Partition p = view.partitions().get(0);
        assertThat(p).isEqualTo(new Partition("p-1", "web", Map.of(), 7, T0, List.of(new Partition.ShardPlacement(0, "storage-1"))));
        assertThat(p.tenant()).isEqualTo("default");
        assertThat(p.replicationFactor()).isEqualTo(1);
        assertThat(p.minInsyncReplicas()).isEqualTo(1);
        assertThat(p.shards().get(0).replicas()).containsExactly("storage-1");
        assertThat(p.shards().get(0).isr()).containsExactly("storage-1");
        assertThat(p.shards().get(0).epoch()).isEqualTo(1);
        assertThat(view.nodes().get(0)).isEqualTo(new StorageNode("storage-1", "http://s1", StorageNode.State.ACTIVE, T0));
    }

    @Test
    void roundTripsReplicasIsrEpochTenantAndNodeZoneAndCapacity() {
        Partition p = new Partition("p-1", "web", Map.of("a", "b"), 7, T0,
                List.of(new Partition.ShardPlacement(0, "storage-2", List.of("storage-2", "storage-1", "storage-3"),
                        List.of("storage-2", "storage-3"), 4)),
                "ZSTD", 3, null, "acme", 3, 2);
        StorageNode node = new StorageNode("storage-1", "http://s1", StorageNode.State.DRAINING, T0, "eu-1a", 1_000L);

        String json = JSON.writeValueAsString(p);

        assertThat(json).contains("\"node\":\"storage-2\"", "\"replicas\":[\"storage-2\",\"storage-1\",\"storage-3\"]",
                "\"isr\":[\"storage-2\",\"storage-3\"]", "\"epoch\":4", "\"tenant\":\"acme\"", "\"replication_factor\":3",
                "\"min_insync_replicas\":2");
        assertThat(JSON.readValue(json, Partition.class)).isEqualTo(p);
        assertThat(JSON.readValue(JSON.writeValueAsString(node), StorageNode.class)).isEqualTo(node);
        assertThat(JSON.writeValueAsString(new StorageNode("s", "http://s", StorageNode.State.ACTIVE, T0)))
                .doesNotContain("zone", "capacity_bytes");
    }

    @Test
    void aMoveInFlightRoundTripsItsRemovingListWhichIsAbsentWhenEmpty() {
        Partition.ShardPlacement moving = new Partition.ShardPlacement(0, "a", List.of("a", "b", "c"), List.of("a", "b"),
                5, List.of("b"));

        String json = JSON.writeValueAsString(moving);

        assertThat(json).contains("\"removing\":[\"b\"]");
        assertThat(JSON.readValue(json, Partition.ShardPlacement.class)).isEqualTo(moving);
        assertThat(moving.staying()).containsExactly("a", "c");
        assertThat(JSON.writeValueAsString(new Partition.ShardPlacement(0, List.of("a", "b"), 2))).doesNotContain("removing");
        assertThat(JSON.readValue("{\"shard\":0,\"replicas\":[\"a\"],\"isr\":[\"a\"],\"epoch\":3}",
                Partition.ShardPlacement.class).removing()).isEmpty();
        assertThatThrownBy(() -> new Partition.ShardPlacement(0, "a", List.of("a"), null, 1, List.of("z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("removed");
        assertThatThrownBy(() -> new Partition.ShardPlacement(0, "a", List.of("a", "b"), null, 1, List.of("b", "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("removed");
    }

    @Test
    void alterIsrRequestsNeedEveryFieldAndANewIsrWithTheLeader() {
        AlterIsrRequest valid = JSON.readValue(
                "{\"leader\":\"n1\",\"epoch\":3,\"isr\":[\"n1\",\"n2\",\"n3\"],\"new_isr\":[\"n1\",\"n2\"]}",
                AlterIsrRequest.class).validated();
        assertThat(valid).isEqualTo(new AlterIsrRequest("n1", 3L, List.of("n1", "n2", "n3"), List.of("n1", "n2")));
        assertField(() -> new AlterIsrRequest(null, 3L, List.of("n1"), List.of("n1")).validated(), "leader");
        assertField(() -> new AlterIsrRequest("n1", null, List.of("n1"), List.of("n1")).validated(), "epoch");
        assertField(() -> new AlterIsrRequest("n1", 0L, List.of("n1"), List.of("n1")).validated(), "epoch");
        assertField(() -> new AlterIsrRequest("n1", 3L, null, List.of("n1")).validated(), "isr");
        assertField(() -> new AlterIsrRequest("n1", 3L, List.of("n1"), null).validated(), "new_isr");
        assertField(() -> new AlterIsrRequest("n1", 3L, List.of("n1"), List.of()).validated(), "new_isr");
        assertField(() -> new AlterIsrRequest("n1", 3L, List.of("n1"), List.of("n2")).validated(), "new_isr");
        assertField(() -> new AlterIsrRequest("n1", 3L, List.of("n1"), List.of("n1", "n1")).validated(), "new_isr");
        assertField(() -> new AlterIsrRequest("n1", 3L, List.of("n1", "n1"), List.of("n1")).validated(), "isr");
    }

    private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(io.timberdb.model.error.TimberException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void replicasOnlyJsonTakesTheFirstAsTheLeader() {
        Partition.ShardPlacement shard = JSON.readValue("{\"shard\":1,\"replicas\":[\"b\",\"a\"],\"epoch\":2}",
                Partition.ShardPlacement.class);

        assertThat(shard).isEqualTo(new Partition.ShardPlacement(1, List.of("b", "a"), 2));
        assertThat(shard.node()).isEqualTo("b");
    }

    @Test
    void inconsistentPlacementsAreRefused() {
        assertThatThrownBy(() -> new Partition.ShardPlacement(0, "a", List.of("b", "a"), null, 1))
                .hasMessageContaining("not the first replica");
        assertThatThrownBy(() -> new Partition.ShardPlacement(0, "a", List.of("a", "a"), null, 1))
                .hasMessageContaining("two replicas");
        assertThatThrownBy(() -> new Partition.ShardPlacement(0, "a", List.of("a"), List.of("c"), 1))
                .hasMessageContaining("in-sync");
        assertThatThrownBy(() -> new Partition.ShardPlacement(0, "a", List.of("a"), null, 0))
                .hasMessageContaining("epoch");
        assertThatThrownBy(() -> new Partition("p", "n", Map.of(), 1, T0, List.of(), null, null, null, null, 2, 3))
                .hasMessageContaining("min_insync_replicas");
    }

    @Test
    void createRequestValidatesShardsReplicasMinIsrAndTenantAndDefaultsTheMinIsrFromTheFactor() {
        CreatePartitionRequest rf3 = new CreatePartitionRequest("a", null, null, null, null, null, 2, 3, null, "acme").validated();

        assertThat(rf3.minInsyncReplicas()).isEqualTo(2);
        assertThat(new CreatePartitionRequest("a", null, null, null, null, null, null, 1, null, null).validated()
                .minInsyncReplicas()).isEqualTo(1);
        assertThat(new CreatePartitionRequest("a", null, null).validated().minInsyncReplicas()).as("the server's factor decides")
                .isNull();
        assertThatThrownBy(() -> new CreatePartitionRequest("a", null, null, null, null, null, 1025, null, null, null).validated())
                .hasMessageContaining("1..1024");
    }
}
