package io.timberdb.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.timberdb.coordinator.api.LeaderForwarder;
import io.timberdb.coordinator.api.RaftIsrRegistry;
import io.timberdb.coordinator.api.RaftNodeRegistry;
import io.timberdb.coordinator.api.RaftPartitionCatalog;
import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.raft.RaftTestCluster;
import io.timberdb.model.api.AlterIsrRequest;
import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode.State;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The leader's liveness, reaper and rebalancing on an in-JVM group of three voters, each with its
 * own {@link NodeLiveness} and {@link MembershipKeeper}: storage nodes heartbeat to the leader;
 * one goes silent, loses the leadership of its shards, is marked dead, and its replicas move
 * (copied before cut: a simulated storage leader puts new replicas in the ISR through AlterIsr);
 * one is decommissioned, drains and ends decommissioned; the silent one comes back and receives
 * replicas again.
 */
class MembershipIT {

    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofMillis(900);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final InstantSource CLOCK = InstantSource.system();

    @TempDir
    Path dir;

    @Test
    void aSilentNodeIsMarkedDeadAndEvacuatedAndADecommissionedNodeDrainsToDecommissioned() throws Exception {
        Map<String, RaftNodeRegistry> registries = new HashMap<>();
        List<MembershipKeeper> keepers = new ArrayList<>();
        Set<String> alive = ConcurrentHashMap.newKeySet();
        ScheduledExecutorService heartbeats = Executors.newScheduledThreadPool(2);
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            startKeepers(cluster, registries, keepers);
            MetadataGroup leader = cluster.awaitLeader();
            RaftNodeRegistry registry = registries.get(leader.self().id());
            alive.addAll(List.of("storage-1", "storage-2", "storage-3", "storage-4"));
            heartbeats.scheduleWithFixedDelay(() -> alive.forEach(id -> {
                try {
                    registry.register(id, "http://127.0.0.1:1782" + id.charAt(id.length() - 1)).block(Duration.ofSeconds(2));
                } catch (RuntimeException e) {
                    // the next round tries again
                }
            }), 0, 300, TimeUnit.MILLISECONDS);
            // The storage leaders' part: a live shard leader puts its replicas on live nodes in
            // the ISR (as if they had caught up), through the AlterIsr route's registry.
            RaftIsrRegistry isr = new RaftIsrRegistry(forwarder(leader));
            heartbeats.scheduleWithFixedDelay(() -> leader.view().partitions().forEach(p -> p.shards().forEach(shard -> {
                List<String> newIsr = new ArrayList<>(shard.isr());
                shard.replicas().stream().filter(r -> alive.contains(r) && !newIsr.contains(r)).forEach(newIsr::add);
                if (alive.contains(shard.node()) && newIsr.size() > shard.isr().size()) {
                    try {
                        isr.alterIsr(p.id(), shard.shard(), new AlterIsrRequest(shard.node(), shard.epoch(),
                                shard.isr(), newIsr)).block(Duration.ofSeconds(2));
                    } catch (RuntimeException e) {
                        // a conflict or an election: the next round tries again
                    }
                }
            })), 0, 200, TimeUnit.MILLISECONDS);
            await().atMost(WAIT).until(() -> leader.view().nodes().size() == 4);

            Partition created = new RaftPartitionCatalog(leader, forwarder(leader), CLOCK, 4, 2)
                    .create(new CreatePartitionRequest("web", null, null)).block();
            String silent = created.shards().get(0).node();
            assertThat(created.shards()).allSatisfy(shard -> assertThat(shard.replicas()).hasSize(2));

            alive.remove(silent);

            // Its shards fail over within the failover timeout, long before it is marked dead.
            await().atMost(WAIT).until(() -> leader.view().partition("web").orElseThrow().shards().stream()
                    .noneMatch(shard -> shard.node().equals(silent)));
            await().atMost(WAIT).until(() -> stateOf(leader, silent) == State.DEAD);
            await().atMost(WAIT).until(() -> !replicaCounts(leader.view()).containsKey(silent));
            Partition evacuated = leader.view().partition("web").orElseThrow();
            for (int i = 0; i < created.shards().size(); i++) {
                Partition.ShardPlacement was = created.shards().get(i);
                Partition.ShardPlacement is = evacuated.shards().get(i);
                assertThat(is.staying()).hasSize(2).doesNotHaveDuplicates().doesNotContain(silent);
                assertThat(is.epoch()).isGreaterThanOrEqualTo(was.replicas().contains(silent) ? 2 : 1);
            }

            String leaving = evacuated.shards().get(0).node();
            assertThat(registry.decommission(leaving).block().state()).isEqualTo(State.DRAINING);

            await().atMost(WAIT).until(() -> stateOf(leader, leaving) == State.DECOMMISSIONED);
            assertThat(replicaCounts(leader.view())).doesNotContainKeys(silent, leaving);
            assertThat(leader.view().partition("web").orElseThrow().shards())
                    .allSatisfy(shard -> assertThat(shard.staying()).hasSize(2).doesNotHaveDuplicates());

            alive.add(silent);

            await().atMost(WAIT).until(() -> stateOf(leader, silent) == State.ACTIVE);
            await().atMost(WAIT).until(() -> replicaCounts(leader.view()).getOrDefault(silent, 0) >= 2);
            assertThat(stateOf(leader, leaving)).as("heartbeats do not revive a decommissioned node")
                    .isEqualTo(State.DECOMMISSIONED);
            assertThatThrownBy(() -> registry.activate(leaving).block())
                    .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD));
            await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.followers())
                    .allSatisfy(f -> assertThat(f.view().partitions()).isEqualTo(leader.view().partitions())));
        } finally {
            heartbeats.shutdownNow();
            keepers.forEach(MembershipKeeper::close);
        }
    }

    @Test
    void aNewLeaderGivesEveryNodeAWholeTimeoutToFindItBeforeMarkingAnyDead() {
        Map<String, RaftNodeRegistry> registries = new ConcurrentHashMap<>();
        List<MembershipKeeper> keepers = new ArrayList<>();
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            startKeepers(cluster, registries, keepers);
            MetadataGroup first = cluster.awaitLeader();
            // Every 1.2 s (within the 2 s timeout), to whichever voter leads now.
            heartbeats.scheduleWithFixedDelay(() -> cluster.running().stream().filter(MetadataGroup::isLeader).findFirst()
                    .ifPresent(leader -> List.of("storage-1", "storage-2").forEach(id -> {
                        try {
                            registries.get(leader.self().id()).register(id, "http://127.0.0.1:1782" + id.charAt(8))
                                    .block(Duration.ofSeconds(2));
                        } catch (RuntimeException e) {
                            // the next round tries again
                        }
                    })), 0, 1200, TimeUnit.MILLISECONDS);
            await().atMost(WAIT).until(() -> first.view().nodes().size() == 2);

            cluster.stop(first.self().id());
            MetadataGroup second = cluster.awaitLeader();

            // The new leader heard from nobody before its term; nodes that heartbeat within a timeout stay active.
            await().during(NODE_TIMEOUT.multipliedBy(2)).atMost(NODE_TIMEOUT.multipliedBy(3))
                    .untilAsserted(() -> assertThat(second.view().nodes()).allSatisfy(
                            node -> assertThat(node.state()).isEqualTo(State.ACTIVE)));
        } finally {
            heartbeats.shutdownNow();
            keepers.forEach(MembershipKeeper::close);
        }
    }

    /** Gives every voter its own liveness, registry and a started keeper (2 s timeout, checks every 200 ms). */
    private static void startKeepers(RaftTestCluster cluster, Map<String, RaftNodeRegistry> registries,
                                     List<MembershipKeeper> keepers) {
        for (MetadataGroup group : cluster.running()) {
            NodeLiveness liveness = new NodeLiveness(CLOCK);
            registries.put(group.self().id(), new RaftNodeRegistry(group, forwarder(group), CLOCK, liveness));
            MembershipKeeper keeper = new MembershipKeeper(group, liveness, CLOCK,
                    new MembershipKeeper.Settings(NODE_TIMEOUT, 4, Duration.ofMillis(200), true, FAILOVER_TIMEOUT, false));
            keeper.start();
            keepers.add(keeper);
        }
    }

    private static LeaderForwarder forwarder(MetadataGroup group) {
        return new LeaderForwarder(group, WebClient.builder(), Duration.ofSeconds(1));
    }

    private static State stateOf(MetadataGroup group, String id) {
        return group.view().node(id).orElseThrow().state();
    }

    private static Map<String, Integer> replicaCounts(ClusterView view) {
        Map<String, Integer> counts = new HashMap<>();
        view.partitions().forEach(p -> p.shards().forEach(s -> s.replicas().forEach(n -> counts.merge(n, 1, Integer::sum))));
        return counts;
    }
}
