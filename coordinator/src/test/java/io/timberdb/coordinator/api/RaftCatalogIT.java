package io.timberdb.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.raft.RaftTestCluster;
import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.util.context.Context;

/** The Raft-backed catalog, registry and view source on an in-JVM group, without HTTP servers. */
class RaftCatalogIT {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00.123456Z"), ZoneOffset.UTC);
    private static final Duration WAIT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    @Test
    void leaderCreatesAndAFollowerReadsItBackThroughAReadIndex() {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup leader = cluster.awaitLeader();
            MetadataGroup follower = cluster.followers().get(0);
            StorageNode node = registry(leader).register("storage-1", "http://127.0.0.1:17821").block();
            assertThat(node.state()).isEqualTo(StorageNode.State.ACTIVE);
            assertThat(node.registeredAt()).isEqualTo(CLOCK.instant());

            Partition created = catalog(leader).create(new CreatePartitionRequest("web", Map.of("a", "b"), null)).block();

            assertThat(created.createdAt()).isEqualTo(Instant.parse("2025-06-01T12:00:00.123Z"));
            assertThat(created.retentionDays()).isEqualTo(CreatePartitionRequest.DEFAULT_RETENTION_DAYS);
            assertThat(created.shards()).hasSize(3).allSatisfy(s -> assertThat(s.node()).isEqualTo("storage-1"));
            assertThat(catalog(follower).get(Partition.DEFAULT_TENANT, "web").block()).isEqualTo(created);
            assertThat(catalog(follower).get(Partition.DEFAULT_TENANT, created.id()).block()).isEqualTo(created);
            assertThat(new RaftClusterViewSource(follower).refresh().block().coordinator().leader())
                    .isEqualTo(leader.self().id());
            assertThatThrownBy(() -> catalog(follower).get(Partition.DEFAULT_TENANT, "absent").block())
                    .isInstanceOfSatisfying(TimberException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PARTITION_NOT_FOUND));
            assertThatThrownBy(() -> catalog(leader).create(new CreatePartitionRequest("web", null, null)).block())
                    .isInstanceOfSatisfying(TimberException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PARTITION_EXISTS));
        }
    }

    @Test
    void unchangedHeartbeatIsAnsweredWithoutAWrite() {
        try (RaftTestCluster cluster = RaftTestCluster.start(1, dir)) {
            MetadataGroup leader = cluster.awaitLeader();
            registry(leader).register("storage-1", "http://127.0.0.1:17821").block();
            long version = leader.view().version();

            StorageNode again = registry(leader).register("storage-1", "http://127.0.0.1:17821").block();

            assertThat(again.id()).isEqualTo("storage-1");
            assertThat(leader.view().version()).isEqualTo(version);
        }
    }

    @Test
    void writeWithoutAQuorumIs503UnavailableAfterTheLeaderWait() {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup survivor = cluster.followers().get(0);
            cluster.voters().stream().map(v -> v.id()).filter(id -> !id.equals(survivor.self().id()))
                    .forEach(cluster::stop);

            long start = System.nanoTime();
            assertThatThrownBy(() -> catalog(survivor).create(new CreatePartitionRequest("lonely", null, null)).block())
                    .isInstanceOfSatisfying(TimberException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(WAIT);
            await().atMost(Duration.ofSeconds(10)).until(() -> survivor.leaderId() == null);
        }
    }

    @Test
    void aForwardedCreationRetriedAfterItCommittedIsAnsweredAsTheFirstTime() {
        try (RaftTestCluster cluster = RaftTestCluster.start(1, dir)) {
            MetadataGroup leader = cluster.awaitLeader();
            registry(leader).register("storage-1", "http://127.0.0.1:17821").block();
            String id = "01a21799-0000-7000-8000-000000000001";
            Context forwarded = Context.of(LeaderForwarder.FORWARDED_KEY, "coordinator-2",
                    LeaderForwarder.COMMAND_ID_KEY, id, LeaderForwarder.COMMAND_TIME_KEY, "2025-06-01T11:59:59.500Z");
            CreatePartitionRequest request = new CreatePartitionRequest("retried", null, null);

            Partition first = catalog(leader).create(request).contextWrite(forwarded).block();
            Partition again = catalog(leader).create(request).contextWrite(forwarded).block();

            assertThat(first.id()).as("the forwarding voter's id").isEqualTo(id);
            assertThat(first.createdAt()).as("and time").isEqualTo(Instant.parse("2025-06-01T11:59:59.500Z"));
            assertThat(again).as("the retry is the same creation, not a duplicate name").isEqualTo(first);
            assertThatThrownBy(() -> catalog(leader).create(request).block()).as("another creation of the name")
                    .isInstanceOfSatisfying(TimberException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PARTITION_EXISTS));
            assertThatThrownBy(() -> catalog(leader).create(new CreatePartitionRequest("other", null, null))
                    .contextWrite(Context.of(LeaderForwarder.FORWARDED_KEY, "coordinator-2",
                            LeaderForwarder.COMMAND_ID_KEY, "not-an-id", LeaderForwarder.COMMAND_TIME_KEY, "2025-06-01T12:00:00Z"))
                    .block())
                    .isInstanceOfSatisfying(TimberException.class,
                            e -> assertThat(e.field()).isEqualTo(LeaderForwarder.COMMAND_ID_HEADER));
        }
    }

    @Test
    void replicatedPartitionsAreCreatedUpdatedAndDeletedThroughTheGroup() {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup leader = cluster.awaitLeader();
            MetadataGroup follower = cluster.followers().get(0);
            for (int i = 1; i <= 3; i++) {
                registry(leader).register(new io.timberdb.model.api.RegisterNodeRequest("storage-" + i,
                        "http://127.0.0.1:1782" + i, "zone-" + i, 1_000L * i)).block();
            }

            Partition created = catalog(leader).create(new CreatePartitionRequest("payments", null, 7, null, null, null,
                    2, 3, null, "acme")).block();

            assertThat(created.tenant()).isEqualTo("acme");
            assertThat(created.replicationFactor()).isEqualTo(3);
            assertThat(created.minInsyncReplicas()).isEqualTo(2);
            assertThat(created.shards()).hasSize(2).allSatisfy(shard -> {
                assertThat(shard.replicas()).containsExactlyInAnyOrder("storage-1", "storage-2", "storage-3");
                assertThat(shard.epoch()).isEqualTo(1);
            });
            assertThat(shardLeaders(created)).as("leaders spread").doesNotHaveDuplicates();
            assertThat(catalog(follower).get("acme", "payments").block()).isEqualTo(created);
            assertThat(follower.view().node("storage-2").orElseThrow().zone()).isEqualTo("zone-2");
            assertThatThrownBy(() -> catalog(leader).create(new CreatePartitionRequest("big", null, null, null, null,
                    null, null, 4, null, null)).block())
                    .isInstanceOfSatisfying(TimberException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.NOT_ENOUGH_STORAGE_NODES);
                        assertThat(e.field()).isEqualTo("replication_factor");
                    });

            Partition updated = catalog(leader).update("acme", "payments",
                    new io.timberdb.model.api.UpdatePartitionRequest(90, Map.of("team", "billing"))).block();

            assertThat(updated).isEqualTo(created.withSettings(90, Map.of("team", "billing")));
            await().atMost(Duration.ofSeconds(5)).until(() -> follower.view().partition("payments").orElseThrow().equals(updated));

            catalog(leader).delete("acme", created.id()).block();

            await().atMost(Duration.ofSeconds(5)).until(() -> follower.view().partition("payments").isEmpty());
            assertThatThrownBy(() -> catalog(follower).get("acme", "payments").block())
                    .isInstanceOfSatisfying(TimberException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PARTITION_NOT_FOUND));
            assertThatThrownBy(() -> catalog(leader).delete("acme", "payments").block())
                    .isInstanceOfSatisfying(TimberException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.PARTITION_NOT_FOUND));
        }
    }

    private static java.util.List<String> shardLeaders(Partition partition) {
        return partition.shards().stream().map(Partition.ShardPlacement::node).toList();
    }

    @Test
    void forwardedWriteReachingAFollowerIsRefusedAtOnce() {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup follower = cluster.followers().get(0);
            LeaderForwarder patient = new LeaderForwarder(follower, WebClient.builder(), Duration.ofSeconds(30));
            RaftNodeRegistry registry = new RaftNodeRegistry(follower, patient, CLOCK);

            long start = System.nanoTime();
            assertThatThrownBy(() -> registry.register("storage-1", "http://127.0.0.1:17821")
                    .contextWrite(Context.of(LeaderForwarder.FORWARDED_KEY, "coordinator-x")).block())
                    .isInstanceOfSatisfying(TimberException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    private static RaftPartitionCatalog catalog(MetadataGroup group) {
        return new RaftPartitionCatalog(group, new LeaderForwarder(group, WebClient.builder(), WAIT), CLOCK, 3);
    }

    private static RaftNodeRegistry registry(MetadataGroup group) {
        return new RaftNodeRegistry(group, new LeaderForwarder(group, WebClient.builder(), WAIT), CLOCK);
    }
}
