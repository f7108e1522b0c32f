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
 * The placement, replication and rebalancing invariants, checked on {@link MetadataState} itself
 * after every command of random sequences of joins, creations, deaths, drains, decommissions,
 * heartbeats, rebalancing rounds (the leader's {@link MetadataState#rebalance} applied as
 * {@link Command.ApplyMoves}), ISR changes as storage leaders propose them (valid shrinks and
 * expands, and stale ones that must conflict), leader failovers and drain hand-overs
 * ({@link ShardTransitions#failover}, {@link ShardTransitions#handOver}) and move completions
 * ({@link ShardTransitions#completions}). The invariants: the leader first in the replicas and in
 * the ISR, the ISR a subset of the replicas, replicas distinct, exactly the replication factor of
 * them staying (more only while moves are in flight), the epoch never decreasing and raised
 * exactly when the leader or the replicas change, and the same state on replay.
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
            } else if (op < 78) {
                run.round(maxMoves);
            } else if (op < 86) {
                run.alterIsr(op);
            } else if (op < 92) {
                run.failover(some, op % 2 == 0);
            } else if (op < 95) {
                run.handOvers();
            } else {
                run.complete();
            }
        }
        // Until nothing changes: dead leaders fail over (unclean allowed, so that a shard whose
        // every in-sync copy is dead can still move), draining ones hand over, storage leaders
        // put their caught-up replicas in the ISR, moves complete, and the planner plans again.
        int rounds = 0;
        while (run.failovers() | run.handOvers() | run.catchUp() | run.complete() | run.round(maxMoves)) {
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
            assertThat(view.partitions()).as("no move left in flight, nodes %s", view.nodes()).allSatisfy(p ->
                    assertThat(p.shards()).allSatisfy(shard -> assertThat(shard.removing()).isEmpty()));
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

        /** A storage leader's ISR change: a valid shrink or expand, or one at a stale epoch that must conflict. */
        void alterIsr(int op) {
            List<Partition.ShardPlacement> shards = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            state.view().partitions().forEach(p -> p.shards().forEach(s -> {
                shards.add(s);
                ids.add(p.id());
            }));
            if (shards.isEmpty()) {
                return;
            }
            int i = (op * 7 + commands.size()) % shards.size();
            Partition.ShardPlacement shard = shards.get(i);
            List<String> newIsr = new ArrayList<>(shard.isr());
            List<String> outside = shard.replicas().stream().filter(r -> !shard.isr().contains(r)).toList();
            List<String> followers = shard.isr().stream().filter(r -> !r.equals(shard.node())).toList();
            if (op % 3 == 0 && shard.epoch() > 1) {
                newIsr = List.of(shard.node());
                assertThat(apply(new Command.AlterIsr(ids.get(i), shard.shard(), shard.node(), shard.epoch() - 1,
                        shard.isr(), newIsr))).isInstanceOf(Result.IsrConflict.class);
                return;
            }
            if (op % 2 == 0 && !followers.isEmpty()) {
                newIsr.remove(followers.get(op % followers.size()));
            } else if (!outside.isEmpty()) {
                newIsr.add(outside.get(op % outside.size()));
            } else {
                return;
            }
            assertThat(apply(new Command.AlterIsr(ids.get(i), shard.shard(), shard.node(), shard.epoch(), shard.isr(),
                    newIsr))).isEqualTo(new Result.IsrChanged(state.view().partition(ids.get(i)).orElseThrow(), true));
        }

        /** Whether a node is up as the simulated leader hears it: not dead (a draining node still runs). */
        boolean live(String node) {
            return state.view().node(node).map(n -> n.state() != State.DEAD && n.state() != State.DECOMMISSIONED)
                    .orElse(false);
        }

        /** The leader gives a node up: its shards fail over to live ISR members (or, if unclean, live replicas). */
        boolean failover(String node, boolean unclean) {
            Optional<Command.ElectLeaders> elect = ShardTransitions.failover(state.view(), node,
                    other -> !other.equals(node) && live(other), unclean);
            elect.ifPresent(command -> assertThat(apply(command)).isInstanceOf(Result.LeadersElected.class));
            return elect.isPresent();
        }

        /** Every dead node that leads a shard fails over (unclean allowed). */
        boolean failovers() {
            boolean any = false;
            for (StorageNode node : state.view().nodes()) {
                if (!live(node.id()) && ShardTransitions.leadsAny(state.view(), node.id())) {
                    any |= failover(node.id(), true);
                }
            }
            return any;
        }

        /** Every draining node hands the leadership of its shards to active ISR members. */
        boolean handOvers() {
            boolean any = false;
            for (StorageNode node : state.view().nodes()) {
                if (node.state() == State.DRAINING) {
                    Optional<Command.ElectLeaders> elect = ShardTransitions.handOver(state.view(), node.id(), this::live);
                    elect.ifPresent(command -> assertThat(apply(command)).isInstanceOf(Result.LeadersElected.class));
                    any |= elect.isPresent();
                }
            }
            return any;
        }

        /** Every live storage leader puts its replicas on live nodes in the ISR (they caught up). */
        boolean catchUp() {
            boolean any = false;
            for (Partition p : state.view().partitions()) {
                for (Partition.ShardPlacement shard : p.shards()) {
                    List<String> newIsr = new ArrayList<>(shard.isr());
                    shard.replicas().stream().filter(r -> !newIsr.contains(r) && live(r)).forEach(newIsr::add);
                    if (live(shard.node()) && newIsr.size() > shard.isr().size()) {
                        assertThat(apply(new Command.AlterIsr(p.id(), shard.shard(), shard.node(), shard.epoch(),
                                shard.isr(), newIsr))).isInstanceOf(Result.IsrChanged.class);
                        any = true;
                    }
                }
            }
            return any;
        }

        /** Completes the moves that may complete. */
        boolean complete() {
            Optional<Command.CompleteMoves> done = ShardTransitions.completions(state.view());
            done.ifPresent(command -> assertThat(apply(command)).isInstanceOf(Result.MovesCompleted.class));
            return done.isPresent();
        }

        /** Applies one planned round; false when the planner has nothing left to do. */
        boolean round(int maxMoves) {
            Optional<Command.ApplyMoves> moves = MetadataState.rebalance(state.view(), maxMoves);
            moves.ifPresent(command -> {
                ClusterView view = state.view();
                int inFlight = view.partitions().stream().flatMap(p -> p.shards().stream())
                        .filter(s -> s.staying().stream().allMatch(n -> view.node(n).map(StorageNode::acceptsShards)
                                .orElse(false) || view.node(n).map(x -> x.state() == State.JOINING).orElse(false)))
                        .mapToInt(s -> s.removing().size()).sum();
                assertThat(command.moves()).as("bounded with the moves in flight")
                        .hasSizeLessThanOrEqualTo(maxMoves - inFlight);
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
                    assertThat(shard.replicas()).doesNotHaveDuplicates()
                            .hasSize(p.replicationFactor() + shard.removing().size());
                    assertThat(shard.staying()).hasSize(p.replicationFactor());
                    assertThat(shard.replicas()).containsAll(shard.isr()).containsAll(shard.removing());
                    assertThat(shard.isr()).contains(shard.node());
                    assertThat(shard.replicas().get(0)).isEqualTo(shard.node());
                    Partition.ShardPlacement old = was.get(p.id() + "/" + shard.shard());
                    List<String> added = new ArrayList<>(shard.replicas());
                    if (old != null) {
                        added.removeAll(old.replicas());
                        boolean same = old.replicas().equals(shard.replicas()) && old.node().equals(shard.node());
                        assertThat(shard.epoch()).as("epoch of %s/%d", p.id(), shard.shard())
                                .isEqualTo(old.epoch() + (same ? 0 : 1));
                        if (command instanceof Command.AlterIsr) {
                            assertThat(shard.replicas()).isEqualTo(old.replicas());
                        } else if (!(command instanceof Command.ElectLeaders)) {
                            assertThat(shard.isr()).as("only AlterIsr and elections change an ISR's members, "
                                    + "and completions drop the removed").containsAll(old.isr().stream()
                                    .filter(shard.replicas()::contains).toList());
                        }
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
