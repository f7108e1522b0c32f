package io.timberdb.coordinator.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Plans and applies bounded rounds of replica moves. Both are pure functions: the same layout
 * gives the same plan, whatever the order of its lists, and nothing is random.
 *
 * <p>A plan holds at most {@code maxMoves} moves less the moves still in flight (copying, see
 * {@link Command.ApplyMoves}; not counting those of shards with a staying replica on a gone node,
 * which wait for its evacuation), because every move copies a replica over the network while the
 * cluster serves traffic; the caller applies one round, lets the copies finish, and plans again.
 * The layout holds the replicas that stay once the moves in flight complete. A shard with a move
 * in flight, or moved earlier in the same round, is not balanced; only its staying replicas on
 * gone nodes are evacuated (else a move whose new replica died would never complete). Each round does, in this order:
 * <ol>
 *   <li><b>Evacuation.</b> Every replica on a node that is dead, draining, decommissioned or
 *       not in the layout at all moves to an active node that does not hold the shard yet:
 *       the one whose zone holds the fewest of the shard's other replicas on staying nodes
 *       (the rest are moving too, or have no known zone), then the least
 *       loaded ({@link LayoutWorkspace#byLoad}). Shards are visited in key order, replicas in
 *       list order, so the leader goes first. A replica with no such node (fewer active nodes
 *       than the replication factor) stays where it is; lost redundancy is not restored by
 *       piling two replicas onto one node. Evacuation comes first because those replicas are
 *       missing redundancy now, while an imbalance only costs efficiency.</li>
 *   <li><b>Balancing.</b> While some active node holds at least two replicas more than
 *       another, one replica moves from the most loaded node that has one to give to the
 *       least loaded node that can take it.
 *       A move is allowed only if the receiver does not hold the shard and its zone holds no
 *       more of the shard's other replicas than the giver's zone, so balancing never weakens
 *       zone spread. Of the allowed replicas, one the giver does not lead goes first (no
 *       leadership change for clients), then the smallest (least data to copy), then by key.</li>
 * </ol>
 * Replicas on joining nodes are left alone and joining nodes receive none; they take part once
 * they are active. Leadership is not balanced here: it changes only as a side effect of a
 * move (see {@link ReplicaMove}), and balancing avoids even that where it can.
 *
 * <p>Applying the plans of successive rounds converges: evacuation moves only ever go from
 * gone nodes to active ones, and each balancing move lowers the sum of the squared replica
 * counts of the active nodes, so a round that plans nothing comes after finitely many. At that
 * point, among nodes that differ in nothing but load, replica counts differ by at most one:
 * a node with two more replicas than another always holds a shard the other lacks. Stateless.
 */
final class Rebalancer {

    private Rebalancer() {
    }

    /**
     * @param layout the cluster now; not modified
     * @param maxMoves the most moves to plan, at least 0
     * @return the moves of this round in the order to apply them; empty when there is nothing
     *     left to do
     */
    static List<ReplicaMove> plan(ClusterLayout layout, int maxMoves) {
        if (maxMoves < 0) {
            throw new IllegalArgumentException("max moves must be at least 0, not " + maxMoves);
        }
        LayoutWorkspace workspace = new LayoutWorkspace(layout);
        // Moves in flight count against the bound: each is still copying a replica. Those of a
        // shard with a staying replica on a gone node do not: they wait for its evacuation.
        int inFlight = layout.shards().stream().filter(shard -> shard.replicas().stream().noneMatch(workspace::gone))
                .mapToInt(ShardAssignment::movesInFlight).sum();
        int budget = Math.max(0, maxMoves - inFlight);
        List<ReplicaMove> moves = new ArrayList<>();
        evacuate(workspace, moves, budget);
        while (moves.size() < budget) {
            Optional<ReplicaMove> move = balance(workspace,
                    moves.stream().map(ReplicaMove::key).collect(Collectors.toSet()));
            if (move.isEmpty()) {
                break;
            }
            moves.add(move.get());
        }
        return List.copyOf(moves);
    }

    /**
     * The layout after the moves, applied in order with the rule of {@link ReplicaMove}; shards
     * keep their position in the list, nodes are unchanged.
     *
     * @throws IllegalArgumentException when a move does not fit the layout: no such shard, no
     *     replica on {@code from}, a replica on {@code to} already, or a leadership flag that
     *     disagrees with what the move does (a plan made for another layout)
     */
    static ClusterLayout apply(ClusterLayout layout, List<ReplicaMove> moves) {
        LayoutWorkspace workspace = new LayoutWorkspace(layout);
        for (ReplicaMove move : moves) {
            ReplicaMove done = workspace.move(move.key(), move.from(), move.to());
            if (!done.equals(move)) {
                throw new IllegalArgumentException("move " + move + " does not fit the layout; it would be " + done);
            }
        }
        List<ShardAssignment> shards = layout.shards().stream().map(shard -> workspace.shard(shard.key())).toList();
        return new ClusterLayout(layout.nodes(), shards);
    }

    private static void evacuate(LayoutWorkspace workspace, List<ReplicaMove> moves, int maxMoves) {
        List<String> eligible = workspace.eligibleNodes();
        for (ShardAssignment shard : List.copyOf(workspace.shards())) {
            // A shard with a move in flight is evacuated all the same: a staying replica on a gone
            // node (the new one died, say) would otherwise hold the move up for ever.
            for (String node : shard.replicas()) {
                if (moves.size() >= maxMoves) {
                    return;
                }
                if (!workspace.gone(node)) {
                    continue;
                }
                ShardKey key = shard.key();
                List<String> others = workspace.otherReplicas(key, node);
                eligible.stream()
                        .filter(candidate -> !others.contains(candidate))
                        .min(Comparator.<String>comparingInt(candidate -> workspace.zoneClashes(others, candidate))
                                .thenComparing(workspace.byLoad()))
                        .ifPresent(target -> moves.add(workspace.move(key, node, target)));
            }
        }
    }

    private static Optional<ReplicaMove> balance(LayoutWorkspace workspace, Set<ShardKey> movedThisRound) {
        List<String> leastLoadedFirst = workspace.eligibleNodes().stream().sorted(workspace.byLoad()).toList();
        List<String> mostLoadedFirst = workspace.eligibleNodes().stream().sorted(workspace.byLoad().reversed()).toList();
        for (String giver : mostLoadedFirst) {
            for (String receiver : leastLoadedFirst) {
                if (workspace.replicaCount(giver) - workspace.replicaCount(receiver) < 2) {
                    break;
                }
                Optional<ShardAssignment> shard = movable(workspace, giver, receiver, movedThisRound);
                if (shard.isPresent()) {
                    return Optional.of(workspace.move(shard.get().key(), giver, receiver));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<ShardAssignment> movable(LayoutWorkspace workspace, String giver, String receiver,
                                                     Set<ShardKey> movedThisRound) {
        return workspace.shards().stream()
                .filter(shard -> shard.movesInFlight() == 0 && !movedThisRound.contains(shard.key()))
                .filter(shard -> shard.replicas().contains(giver) && !shard.replicas().contains(receiver))
                .filter(shard -> {
                    List<String> others = workspace.otherReplicas(shard.key(), giver);
                    return workspace.zoneClashes(others, receiver) <= workspace.zoneClashes(others, giver);
                })
                .min(Comparator.<ShardAssignment, Boolean>comparing(shard -> shard.leader().equals(giver))
                        .thenComparingLong(ShardAssignment::bytes)
                        .thenComparing(ShardAssignment::key));
    }
}
