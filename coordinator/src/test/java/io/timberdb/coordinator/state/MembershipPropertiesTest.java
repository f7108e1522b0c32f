package io.timberdb.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.cluster.StorageNode.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The placement and rebalancing invariants, checked on {@link MetadataState} itself after random
 * sequences of joins, creations, deaths, drains, decommissions, heartbeats and rebalancing rounds
 * (the leader's {@link MetadataState#rebalance} applied as {@link Command.ApplyMoves}).
 */
class MembershipPropertiesTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Property(tries = 400)
    void randomMembershipChangesKeepTheInvariantsAndRebalancingConverges(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 99) Integer> ops,
            @ForAll @IntRange(min = 1, max = 3) int rf,
            @ForAll @IntRange(min = 0, max = 3) int zones,
            @ForAll @IntRange(min = 1, max = 4) int maxMoves) {
        Run run = new Run(zones);
        for (int n = 0; n < 3; n++) {
            run.join();
        }
        for (int op : ops) {
            int nodes = run.state.view().nodes().size();
            String some = "storage-" + (op % nodes + 1);
            if (op < 15) {
                run.join();
            } else if (op < 35) {
                run.apply(new Command.CreatePartition("p-" + op + "-" + run.commands.size(), "n-" + run.commands.size(),
                        Map.of(), 1, T0, op % 4 + 1, null, rf, null, null));
            } else if (op < 47) {
                run.apply(new Command.SetNodeState(some, State.DEAD, T0));
            } else if (op < 55) {
                run.apply(new Command.SetNodeState(some, State.DRAINING, T0));
            } else if (op < 60) {
                run.apply(new Command.SetNodeState(some, State.DECOMMISSIONED, T0));
            } else if (op < 70) {
                run.apply(new Command.RegisterNode(some, "http://" + some, T0, run.zoneOf(some), null));
            } else {
                run.round(maxMoves);
            }
        }
        int rounds = 0;
        while (run.round(maxMoves)) {
            rounds++;
            assertThat(rounds).as("rounds to converge").isLessThan(2_000);
        }
        Statistics.label("replicas moved").collect(run.moved == 0 ? "none" : run.moved < 10 ? "1-9" : "10+");
        Statistics.label("nodes dead, draining or decommissioned at the end").collect(
                run.state.view().nodes().stream().filter(n -> !n.acceptsShards()).count() > 0);

        ClusterView view = run.state.view();
        List<String> active = view.nodes().stream().filter(StorageNode::acceptsShards).map(StorageNode::id).toList();
        Map<String, Integer> counts = replicaCounts(view);
        if (active.size() >= rf) {
            assertThat(counts.keySet()).as("nothing left on a node that is not active").isSubsetOf(active);
            if (zones == 0 && !view.partitions().isEmpty()) {
                List<Integer> activeCounts = active.stream().map(id -> counts.getOrDefault(id, 0)).toList();
                assertThat(Collections.max(activeCounts) - Collections.min(activeCounts)).as("counts %s", counts)
                        .isLessThanOrEqualTo(1);
            }
        }
        assertThat(run.state.snapshot().decommissioning()).allSatisfy(id -> assertThat(counts).containsKey(id));
        MetadataState replay = new MetadataState();
        run.commands.forEach(replay::apply);
        assertThat(replay.snapshot()).as("deterministic").isEqualTo(run.state.snapshot());
    }

    private static Map<String, Integer> replicaCounts(ClusterView view) {
        Map<String, Integer> counts = new HashMap<>();
        view.partitions().forEach(p -> p.shards().forEach(s -> s.replicas().forEach(n -> counts.merge(n, 1, Integer::sum))));
        return counts;
    }

    /** One random run: the state, the commands applied to it, and the checks after each. */
    private static final class Run {
        final MetadataState state = new MetadataState();
        final List<Command> commands = new ArrayList<>();
        final int zones;
        int moved;

        Run(int zones) {
            this.zones = zones;
        }

        void join() {
            String id = "storage-" + (state.view().nodes().size() + 1);
            apply(new Command.RegisterNode(id, "http://" + id, T0, zoneOf(id), null));
        }

        String zoneOf(String id) {
            return zones == 0 ? null : "z" + Integer.parseInt(id.substring("storage-".length())) % zones;
        }

        /** Applies one planned round; false when the planner has nothing left to do. */
        boolean round(int maxMoves) {
            Optional<Command.ApplyMoves> moves = MetadataState.rebalance(state.view(), maxMoves);
            moves.ifPresent(command -> {
                assertThat(command.moves()).hasSizeLessThanOrEqualTo(maxMoves);
                moved += command.moves().size();
                assertThat(apply(command)).isInstanceOf(Result.MovesApplied.class);
            });
            return moves.isPresent();
        }

        Result apply(Command command) {
            ClusterView before = state.view();
            Result result = state.apply(command);
            commands.add(command);
            check(before, state.view(), command);
            return result;
        }

        private static void check(ClusterView before, ClusterView after, Command command) {
            Map<String, Partition.ShardPlacement> was = new HashMap<>();
            before.partitions().forEach(p -> p.shards().forEach(s -> was.put(p.id() + "/" + s.shard(), s)));
            for (Partition p : after.partitions()) {
                for (Partition.ShardPlacement shard : p.shards()) {
                    assertThat(shard.replicas()).doesNotHaveDuplicates().hasSize(p.replicationFactor());
                    assertThat(shard.replicas()).containsAll(shard.isr());
                    assertThat(shard.isr()).contains(shard.node());
                    Partition.ShardPlacement old = was.get(p.id() + "/" + shard.shard());
                    List<String> added = new ArrayList<>(shard.replicas());
                    if (old != null) {
                        added.removeAll(old.replicas());
                        assertThat(shard.epoch()).as("epoch of %s/%d", p.id(), shard.shard())
                                .isEqualTo(old.epoch() + (old.replicas().equals(shard.replicas()) ? 0 : 1));
                    } else {
                        assertThat(shard.epoch()).isEqualTo(1);
                    }
                    // New replicas only ever land on nodes that were active before the command.
                    assertThat(added).allSatisfy(node -> assertThat(before.node(node).map(StorageNode::acceptsShards))
                            .as("%s placed by %s", node, command.getClass().getSimpleName()).contains(true));
                }
            }
            Map<String, Integer> counts = replicaCounts(after);
            after.nodes().stream().filter(n -> n.state() == State.DECOMMISSIONED)
                    .forEach(n -> assertThat(counts).as("decommissioned %s", n.id()).doesNotContainKey(n.id()));
        }
    }
}
