package io.timberdb.coordinator.state;

import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * How a shard's leader, ISR and in-flight moves change (TDB-05): the application of
 * {@link Command.AlterIsr}, {@link Command.ElectLeaders}, {@link Command.CompleteMoves} (and the
 * shard side of {@link Command.ApplyMoves}) to
 * {@link MetadataState}'s partitions, and the leader's plans for the last two. Applying reads
 * nothing but its arguments, so every voter computes the same; planning is a pure function of
 * a view and of what the leader knows of liveness (which stays out of the replicated state: the
 * command carries the plan and its application checks that the plan still holds).
 *
 * <p>Orders are canonical: the leader is first in {@code replicas}; the ISR lists its members in
 * {@code replicas} order; so two voters, or a retried request, produce the same placement.
 *
 * <p>Stateless.
 */
public final class ShardTransitions {

    private ShardTransitions() {
    }

    // ---- application (on every voter, in log order) ----

    static Result alterIsr(Map<String, Partition> partitions, Command.AlterIsr command) {
        Partition partition = partitions.get(command.partitionId());
        if (partition == null) {
            return new Result.PartitionNotFound(command.partitionId());
        }
        if (command.shard() < 0 || command.shard() >= partition.shards().size()) {
            return new Result.ShardNotFound(command.partitionId(), command.shard());
        }
        Partition.ShardPlacement shard = partition.shards().get(command.shard());
        if (!shard.node().equals(command.leader()) || shard.epoch() != command.epoch()) {
            return new Result.IsrConflict(shard, "the shard is led by " + shard.node() + " at epoch " + shard.epoch()
                    + ", not by " + command.leader() + " at epoch " + command.epoch());
        }
        if (sameMembers(shard.isr(), command.newIsr())) {
            return new Result.IsrChanged(partition, false); // a retried request, applied already
        }
        if (!sameMembers(shard.isr(), command.isr())) {
            return new Result.IsrConflict(shard, "the ISR is " + shard.isr() + ", not " + command.isr());
        }
        if (!shard.replicas().containsAll(command.newIsr())) {
            return new Result.IsrInvalid("new_isr " + command.newIsr() + " lists a node that is not a replica of "
                    + shard.replicas());
        }
        Partition changed = replace(partitions, partition, new Partition.ShardPlacement(shard.shard(), shard.node(),
                shard.replicas(), inReplicaOrder(shard.replicas(), command.newIsr()), shard.epoch(), shard.removing()));
        return new Result.IsrChanged(changed, true);
    }

    static Result electLeaders(Map<String, Partition> partitions, Command.ElectLeaders command) {
        Set<ShardKey> seen = new HashSet<>();
        for (Command.LeaderChange change : command.changes()) {
            Optional<String> wrong = electionProblem(partitions, command.node(), change);
            if (wrong.isEmpty() && !seen.add(new ShardKey(change.partitionId(), change.shard()))) {
                wrong = Optional.of("it is listed twice");
            }
            if (wrong.isPresent()) {
                return new Result.Rejected("leader change of " + change.partitionId() + "/" + change.shard() + " to "
                        + change.leader() + ": " + wrong.get());
            }
        }
        for (Command.LeaderChange change : command.changes()) {
            Partition partition = partitions.get(change.partitionId());
            Partition.ShardPlacement shard = partition.shards().get(change.shard());
            replace(partitions, partition, led(shard, change.leader(), change.isr(), shard.replicas(), shard.removing()));
        }
        return new Result.LeadersElected(command.changes().size());
    }

    private static Optional<String> electionProblem(Map<String, Partition> partitions, String node,
                                                    Command.LeaderChange change) {
        Partition partition = partitions.get(change.partitionId());
        if (partition == null || change.shard() < 0 || change.shard() >= partition.shards().size()) {
            return Optional.of("no such shard");
        }
        Partition.ShardPlacement shard = partition.shards().get(change.shard());
        if (!shard.node().equals(node) || shard.epoch() != change.epoch()) {
            return Optional.of("the shard is led by " + shard.node() + " at epoch " + shard.epoch() + ", not by " + node
                    + " at epoch " + change.epoch());
        }
        if (change.leader().equals(node) || !shard.replicas().contains(change.leader())) {
            return Optional.of("the new leader must be another replica of " + shard.replicas());
        }
        boolean clean = shard.isr().contains(change.leader()) && shard.isr().containsAll(change.isr());
        boolean unclean = change.isr().equals(List.of(change.leader()));
        return clean || unclean ? Optional.empty()
                : Optional.of("the new ISR " + change.isr() + " is neither a part of the ISR " + shard.isr()
                        + " with the leader in it, nor the new leader alone");
    }

    /**
     * A shard that gains the moves' new replicas and is to lose their old ones, at the next epoch.
     * A move onto a replica that the shard is removing (an evacuation of a new replica whose node
     * went away, back to the old one) keeps that replica instead.
     */
    static Partition.ShardPlacement copying(Partition.ShardPlacement shard, List<ReplicaMove> moves) {
        List<String> replicas = new ArrayList<>(shard.replicas());
        List<String> removing = new ArrayList<>(shard.removing());
        for (ReplicaMove move : moves) {
            if (removing.remove(move.to())) {
                // Back onto a replica being removed (the new one went away): it simply stays.
                removing.add(move.from());
                continue;
            }
            replicas.add(move.to());
            removing.add(move.from());
        }
        // The epoch goes up with the replica set; a move back onto a replica leaves the set as it was.
        return new Partition.ShardPlacement(shard.shard(), shard.node(), replicas, shard.isr(),
                shard.epoch() + (replicas.equals(shard.replicas()) ? 0 : 1), removing);
    }

    static Result completeMoves(Map<String, Partition> partitions, Map<String, StorageNode> nodes,
                                Command.CompleteMoves command) {
        Set<ShardKey> seen = new HashSet<>();
        for (Command.MoveCompletion move : command.moves()) {
            Partition partition = partitions.get(move.partitionId());
            String wrong = null;
            if (partition == null || move.shard() < 0 || move.shard() >= partition.shards().size()) {
                wrong = "no such shard";
            } else {
                Partition.ShardPlacement shard = partition.shards().get(move.shard());
                if (shard.epoch() != move.epoch() || !sameMembers(shard.removing(), move.removed())) {
                    wrong = "the shard is at epoch " + shard.epoch() + " removing " + shard.removing();
                } else if (!completable(shard, nodes)) {
                    wrong = "its staying replicas are not all in sync: ISR " + shard.isr();
                } else if (!seen.add(new ShardKey(move.partitionId(), move.shard()))) {
                    wrong = "it is listed twice";
                }
            }
            if (wrong != null) {
                return new Result.Rejected("completing the moves of " + move.partitionId() + "/" + move.shard() + ": "
                        + wrong);
            }
        }
        int replicas = 0;
        for (Command.MoveCompletion move : command.moves()) {
            Partition partition = partitions.get(move.partitionId());
            Partition.ShardPlacement shard = partition.shards().get(move.shard());
            replicas += shard.removing().size();
            replace(partitions, partition, completed(shard, nodes));
        }
        return new Result.MovesCompleted(replicas, command.moves().size());
    }

    /**
     * Whether a shard's moves in flight may complete: it is removing replicas; every staying
     * replica on an active (or joining) node is in the ISR, and at least one staying replica
     * is; and when the leader is among the removed, a staying ISR member runs (is not dead or
     * decommissioned) to take over. A new replica enters the ISR only once it holds the shard's
     * committed entries (its leader proposes it), so a removed replica is never the last copy
     * of any. Staying replicas on nodes that are gone are not waited for (waiting would never
     * end); the rebalancer moves them too, even while the shard's first move is in flight.
     *
     * @param nodes the storage nodes by id, as the metadata knows them
     */
    public static boolean completable(Partition.ShardPlacement shard, Map<String, StorageNode> nodes) {
        if (shard.removing().isEmpty()) {
            return false;
        }
        List<String> staying = shard.staying();
        List<String> stayingIsr = shard.isr().stream().filter(staying::contains).toList();
        return !stayingIsr.isEmpty()
                && shard.isr().containsAll(staying.stream().filter(node -> staysUp(nodes.get(node))).toList())
                && (!shard.removing().contains(shard.node())
                    || stayingIsr.stream().anyMatch(node -> runs(nodes.get(node))));
    }

    /**
     * The shard after its moves complete: the removed replicas leave replicas and ISR; a removed
     * leader hands over to the first staying ISR member on an active node, else on a running
     * one; the epoch goes up.
     */
    private static Partition.ShardPlacement completed(Partition.ShardPlacement shard, Map<String, StorageNode> nodes) {
        List<String> isr = shard.isr().stream().filter(node -> !shard.removing().contains(node)).toList();
        String leader = !shard.removing().contains(shard.node()) ? shard.node()
                : isr.stream().filter(node -> staysUp(nodes.get(node))).findFirst()
                        .orElseGet(() -> isr.stream().filter(node -> runs(nodes.get(node))).findFirst().orElseThrow());
        return led(shard, leader, isr, shard.staying(), List.of());
    }

    /** A placement led by {@code leader} (moved first in the replicas) at the next epoch. */
    private static Partition.ShardPlacement led(Partition.ShardPlacement shard, String leader, List<String> isr,
                                                List<String> replicas, List<String> removing) {
        List<String> ordered = new ArrayList<>(replicas.size());
        ordered.add(leader);
        replicas.stream().filter(node -> !node.equals(leader)).forEach(ordered::add);
        return new Partition.ShardPlacement(shard.shard(), leader, ordered, inReplicaOrder(ordered, isr),
                shard.epoch() + 1, removing);
    }

    // ---- planning (on the leader) ----

    /**
     * The moves of a view that may complete ({@link #completable}, with nodes up as the view
     * says), as one command; empty when none.
     */
    public static Optional<Command.CompleteMoves> completions(ClusterView view) {
        Map<String, StorageNode> nodes = byId(view);
        List<Command.MoveCompletion> moves = new ArrayList<>();
        for (Partition partition : view.partitions()) {
            for (Partition.ShardPlacement shard : partition.shards()) {
                if (completable(shard, nodes)) {
                    moves.add(new Command.MoveCompletion(partition.id(), shard.shard(), shard.epoch(), shard.removing()));
                }
            }
        }
        return moves.isEmpty() ? Optional.empty() : Optional.of(new Command.CompleteMoves(moves));
    }

    /**
     * Leader failover: every shard that {@code node} leads gets the first {@code live} ISR member
     * (other than it) as leader, and the ISR without {@code node}. A shard with no live ISR member
     * keeps its leader (it is unavailable) unless {@code unclean}, which lets the first live
     * out-of-sync replica lead with an ISR of itself: it may lack acknowledged entries.
     *
     * @param live whether the leader heard from a node within the failover timeout
     * @return one command for the node's shards, empty when none can change
     */
    public static Optional<Command.ElectLeaders> failover(ClusterView view, String node, Predicate<String> live,
                                                          boolean unclean) {
        List<Command.LeaderChange> changes = new ArrayList<>();
        forEachLedShard(view, node, (partition, shard) -> {
            List<String> isr = shard.isr().stream().filter(other -> !other.equals(node)).toList();
            Optional<String> clean = isr.stream().filter(live).findFirst();
            if (clean.isPresent()) {
                changes.add(new Command.LeaderChange(partition.id(), shard.shard(), shard.epoch(), clean.get(), isr));
            } else if (unclean) {
                shard.replicas().stream().filter(other -> !other.equals(node)).filter(live).findFirst()
                        .ifPresent(other -> changes.add(new Command.LeaderChange(partition.id(), shard.shard(),
                                shard.epoch(), other, List.of(other))));
            }
        });
        return changes.isEmpty() ? Optional.empty() : Optional.of(new Command.ElectLeaders(node, changes));
    }

    /**
     * A drain's hand-over: every shard that {@code node} leads gets as leader the first ISR
     * member (other than it) that is {@code live} and active in the view; the ISR stays (the
     * node is still in sync, a follower now). Shards with no such member keep their leader.
     */
    public static Optional<Command.ElectLeaders> handOver(ClusterView view, String node, Predicate<String> live) {
        Map<String, StorageNode> nodes = byId(view);
        List<Command.LeaderChange> changes = new ArrayList<>();
        forEachLedShard(view, node, (partition, shard) -> shard.isr().stream()
                .filter(other -> !other.equals(node) && live.test(other) && nodes.containsKey(other)
                        && nodes.get(other).state() == StorageNode.State.ACTIVE)
                .findFirst()
                .ifPresent(leader -> changes.add(new Command.LeaderChange(partition.id(), shard.shard(), shard.epoch(),
                        leader, shard.isr()))));
        return changes.isEmpty() ? Optional.empty() : Optional.of(new Command.ElectLeaders(node, changes));
    }

    /** Whether the node leads at least one shard of the view. */
    public static boolean leadsAny(ClusterView view, String node) {
        return view.partitions().stream().flatMap(p -> p.shards().stream()).anyMatch(s -> s.node().equals(node));
    }

    private interface ShardVisitor {
        void visit(Partition partition, Partition.ShardPlacement shard);
    }

    private static void forEachLedShard(ClusterView view, String node, ShardVisitor visitor) {
        for (Partition partition : view.partitions()) {
            for (Partition.ShardPlacement shard : partition.shards()) {
                if (shard.node().equals(node)) {
                    visitor.visit(partition, shard);
                }
            }
        }
    }

    // ---- helpers ----

    /** Whether a node is up as the metadata knows it: known, and active or joining. */
    static boolean staysUp(StorageNode node) {
        return node != null && (node.state() == StorageNode.State.ACTIVE || node.state() == StorageNode.State.JOINING);
    }

    /** Whether a node runs as the metadata knows it: known, and not dead or decommissioned (a draining node runs). */
    private static boolean runs(StorageNode node) {
        return node != null && node.state() != StorageNode.State.DEAD && node.state() != StorageNode.State.DECOMMISSIONED;
    }

    private static Map<String, StorageNode> byId(ClusterView view) {
        Map<String, StorageNode> nodes = new TreeMap<>();
        view.nodes().forEach(node -> nodes.put(node.id(), node));
        return nodes;
    }

    private static boolean sameMembers(List<String> a, List<String> b) {
        return a.size() == b.size() && new LinkedHashSet<>(a).equals(new LinkedHashSet<>(b));
    }

    private static List<String> inReplicaOrder(List<String> replicas, List<String> members) {
        return replicas.stream().filter(members::contains).toList();
    }

    private static Partition replace(Map<String, Partition> partitions, Partition partition,
                                     Partition.ShardPlacement shard) {
        List<Partition.ShardPlacement> shards = new ArrayList<>(partition.shards());
        shards.set(shard.shard(), shard);
        Partition changed = partition.withShards(shards);
        partitions.put(changed.id(), changed); // an existing key keeps its place in creation order
        return changed;
    }
}
