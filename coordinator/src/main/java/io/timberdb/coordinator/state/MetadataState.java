package io.timberdb.coordinator.state;

import io.timberdb.model.api.Compression;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The cluster metadata as a deterministic state machine: storage nodes, partitions with their
 * shards' replicas, the voter directory (where each coordinator voter is reached: Raft address
 * and HTTP URL; see {@link VoterAddress}), and a {@code version} that advances by one on every
 * change. Applying the same commands in the same order yields the same state on every voter:
 * {@link #apply} reads no clock, no configuration, no randomness and does no I/O.
 *
 * <p>Node states ({@link Command.SetNodeState}, {@link Command.RegisterNode}):
 * <pre>
 * from \ to       ACTIVE        DRAINING   DEAD        DECOMMISSIONED (asked)
 * (unknown)       register      -          -           -
 * JOINING         register/set  set        set         set
 * ACTIVE          -             set        set         set
 * DRAINING        set           -          stays       set
 * DEAD            register/set  set        -           set
 * DECOMMISSIONED  refused       stays      stays       -
 * </pre>
 * Asking to decommission a node that still holds replicas makes it draining with the
 * decommission pending; it becomes decommissioned as soon as it holds none (after the
 * {@link Command.ApplyMoves} or {@link Command.DeletePartition} that empties it). A draining node
 * that goes silent stays draining: its replicas move away either way, and a later heartbeat must
 * not make it active.
 *
 * <p>Thread-safety: {@link #apply} and {@link #restore} must be called by one thread at a time
 * (the Raft state-machine thread). {@link #view()} may be called from any thread: it returns
 * an immutable view published through a volatile field after each change; so may
 * {@link #snapshot()} and {@link #voters()}.
 */
public final class MetadataState {

    /** The coordinator part of a published view; readers fill in the Raft leader and voters. */
    private static final ClusterView.Coordinator NO_COORDINATOR = new ClusterView.Coordinator(null, List.of());

    private final Map<String, StorageNode> nodes = new TreeMap<>();
    /** In apply order, which is creation order on every voter. */
    private final Map<String, Partition> partitions = new LinkedHashMap<>();
    /** Partition ids by tenant and name: a name is unique within its tenant (TDB-07). */
    private final Map<TenantName, String> idsByName = new HashMap<>();
    /** The draining nodes that become decommissioned once they hold no replica. */
    private final Set<String> decommissioning = new TreeSet<>();
    /** The voter directory by voter id. */
    private final Map<String, VoterAddress> voters = new TreeMap<>();
    private long version;
    /** Volatile: written by the apply thread after each change, read by request threads. */
    private volatile MetadataSnapshot published = MetadataSnapshot.EMPTY;

    /** Applies one command and tells what it did. */
    public Result apply(Command command) {
        if (command instanceof Command.CreatePartition create) {
            return create(create);
        }
        if (command instanceof Command.RegisterNode register) {
            return register(register);
        }
        if (command instanceof Command.RecordVoter record) {
            return recordVoter(record.voter());
        }
        if (command instanceof Command.ForgetVoter forget) {
            return forgetVoter(forget.id());
        }
        if (command instanceof Command.UpdatePartition update) {
            return update(update);
        }
        if (command instanceof Command.DeletePartition delete) {
            return delete(delete.id());
        }
        if (command instanceof Command.SetNodeState set) {
            return setNodeState(set.id(), set.state());
        }
        if (command instanceof Command.ApplyMoves moves) {
            return applyMoves(moves.moves());
        }
        if (command instanceof Command.AlterIsr alter) {
            return changedIf(ShardTransitions.alterIsr(partitions, alter),
                    result -> result instanceof Result.IsrChanged changed && changed.changed());
        }
        if (command instanceof Command.ElectLeaders elect) {
            return changedIf(ShardTransitions.electLeaders(partitions, elect), Result.LeadersElected.class::isInstance);
        }
        if (command instanceof Command.CompleteMoves complete) {
            Result result = ShardTransitions.completeMoves(partitions, nodes, complete);
            if (result instanceof Result.MovesCompleted) {
                settleDecommissions();
            }
            return changedIf(result, Result.MovesCompleted.class::isInstance);
        }
        throw new IllegalArgumentException("unknown command " + command.getClass().getName());
    }

    private Result changedIf(Result result, Predicate<Result> changes) {
        if (changes.test(result)) {
            changed();
        }
        return result;
    }

    private Result create(Command.CreatePartition command) {
        Partition sameId = partitions.get(command.id());
        if (sameId != null) {
            // The same proposal applied twice (a retried write): answer as the first time.
            return sameId.name().equals(command.name())
                    ? new Result.PartitionCreated(sameId)
                    : new Result.Rejected("partition id " + command.id() + " already names '" + sameId.name() + "'");
        }
        String existing = idsByName.get(new TenantName(
                command.tenant() == null ? Partition.DEFAULT_TENANT : command.tenant(), command.name()));
        if (existing != null) {
            return new Result.PartitionExists(partitions.get(existing));
        }
        long active = nodes.values().stream().filter(StorageNode::acceptsShards).count();
        if (active == 0) {
            return new Result.NoStorageNodes();
        }
        int rf = command.effectiveReplicationFactor();
        if (active < rf) {
            return new Result.NotEnoughNodes(rf, (int) active);
        }
        List<Partition.ShardPlacement> shards = ReplicaPlacement.place(layout(), command.id(), command.shardCount(), rf)
                .stream().map(shard -> new Partition.ShardPlacement(shard.shard(), shard.replicas(), 1)).toList();
        Compression codec = command.compression() == null ? new Compression(null, null, null) : command.compression();
        Partition partition = new Partition(command.id(), command.name(), command.tags(), command.retentionDays(),
                command.createdAt(), shards, codec.codec(), codec.level(), codec.threshold(), command.tenant(), rf,
                command.effectiveMinInsyncReplicas());
        add(partition);
        changed();
        return new Result.PartitionCreated(partition);
    }

    private Result update(Command.UpdatePartition command) {
        Partition known = partitions.get(command.id());
        if (known == null) {
            return new Result.PartitionNotFound(command.id());
        }
        Partition updated = known.withSettings(
                command.retentionDays() == null ? known.retentionDays() : command.retentionDays(),
                command.tags() == null ? known.tags() : command.tags());
        if (!updated.equals(known)) {
            partitions.put(updated.id(), updated); // an existing key keeps its place in creation order
            changed();
        }
        return new Result.PartitionUpdated(updated);
    }

    private Result delete(String id) {
        Partition removed = partitions.remove(id);
        if (removed == null) {
            return new Result.PartitionNotFound(id);
        }
        idsByName.remove(new TenantName(removed.tenant(), removed.name()));
        settleDecommissions();
        changed();
        return new Result.PartitionDeleted(removed);
    }

    private Result register(Command.RegisterNode command) {
        StorageNode known = nodes.get(command.id());
        StorageNode.State state = known == null ? StorageNode.State.ACTIVE : switch (known.state()) {
            // A restarted node must not undo a drain or a decommission; a dead one is back.
            case DRAINING, DECOMMISSIONED -> known.state();
            case JOINING, ACTIVE, DEAD -> StorageNode.State.ACTIVE;
        };
        StorageNode node = new StorageNode(command.id(), command.address(), state,
                known == null ? command.at() : known.registeredAt(), command.zone(), command.capacityBytes());
        if (node.equals(known)) {
            return new Result.NodeRegistered(known, false);
        }
        nodes.put(node.id(), node);
        changed();
        return new Result.NodeRegistered(node, true);
    }

    private Result setNodeState(String id, StorageNode.State target) {
        StorageNode known = nodes.get(id);
        if (known == null) {
            return new Result.NodeNotFound(id);
        }
        StorageNode.State from = known.state();
        if (from == StorageNode.State.DECOMMISSIONED) {
            return target == StorageNode.State.ACTIVE
                    ? new Result.Rejected("node " + id + " is decommissioned; register it under a new id")
                    : new Result.NodeStateChanged(known, false);
        }
        boolean pending = decommissioning.contains(id);
        StorageNode.State to = switch (target) {
            case ACTIVE -> StorageNode.State.ACTIVE;
            case DRAINING -> StorageNode.State.DRAINING;
            // A draining node that goes silent stays draining (its replicas move away anyway).
            case DEAD -> from == StorageNode.State.DRAINING ? from : StorageNode.State.DEAD;
            case DECOMMISSIONED -> replicaCount(id) == 0 ? StorageNode.State.DECOMMISSIONED : StorageNode.State.DRAINING;
            case JOINING -> throw new IllegalArgumentException("a node cannot be set joining");
        };
        boolean nowPending = to == StorageNode.State.DRAINING && (pending || target == StorageNode.State.DECOMMISSIONED);
        if (to == from && nowPending == pending) {
            return new Result.NodeStateChanged(known, false);
        }
        if (nowPending) {
            decommissioning.add(id);
        } else {
            decommissioning.remove(id);
        }
        StorageNode node = known.withState(to);
        nodes.put(id, node);
        changed();
        return new Result.NodeStateChanged(node, true);
    }

    /**
     * Starts a round of moves: each must fit the layout of the staying replicas (as the
     * {@link Rebalancer} planned it), and touch a shard with a move in flight only to evacuate a
     * staying replica off a node that is gone. A move from X to
     * Y copies before it cuts: Y joins the replicas (last, out of the ISR) and X is listed in
     * {@code removing}, the leader stays; {@link Command.CompleteMoves} drops X once Y is in sync.
     */
    private Result applyMoves(List<ReplicaMove> moves) {
        Map<ShardKey, Partition.ShardPlacement> current = new HashMap<>();
        for (Partition partition : partitions.values()) {
            partition.shards().forEach(shard -> current.put(new ShardKey(partition.id(), shard.shard()), shard));
        }
        for (ReplicaMove move : moves) {
            StorageNode target = nodes.get(move.to());
            if (target == null || !target.acceptsShards()) {
                return new Result.Rejected("move " + move + ": node " + move.to() + " is not active");
            }
            Partition.ShardPlacement shard = current.get(move.key());
            if (shard != null && !shard.removing().isEmpty()
                    && (ShardTransitions.staysUp(nodes.get(move.from()))
                        || shard.replicas().contains(move.to()) && !shard.removing().contains(move.to()))) {
                // Only an evacuation off a gone node may touch a shard with a move in flight.
                return new Result.Rejected("move " + move + ": the shard has a move in flight, removing "
                        + shard.removing());
            }
        }
        try {
            Rebalancer.apply(layout(), moves);
        } catch (IllegalArgumentException e) {
            // A plan made against an older state: refused whole, on every voter alike.
            return new Result.Rejected(e.getMessage());
        }
        Map<ShardKey, List<ReplicaMove>> byShard = new HashMap<>();
        moves.forEach(move -> byShard.computeIfAbsent(move.key(), key -> new ArrayList<>()).add(move));
        for (Partition partition : List.copyOf(partitions.values())) {
            List<Partition.ShardPlacement> shards = partition.shards().stream().map(shard -> {
                List<ReplicaMove> started = byShard.get(new ShardKey(partition.id(), shard.shard()));
                return started == null ? shard : ShardTransitions.copying(shard, started);
            }).toList();
            if (!shards.equals(partition.shards())) {
                partitions.put(partition.id(), partition.withShards(shards));
            }
        }
        changed();
        return new Result.MovesApplied(moves.size(), byShard.size());
    }

    private void settleDecommissions() {
        for (String id : List.copyOf(decommissioning)) {
            if (replicaCount(id) == 0) {
                decommissioning.remove(id);
                nodes.computeIfPresent(id, (key, node) -> node.withState(StorageNode.State.DECOMMISSIONED));
            }
        }
    }

    private int replicaCount(String node) {
        int count = 0;
        for (Partition partition : partitions.values()) {
            for (Partition.ShardPlacement shard : partition.shards()) {
                count += shard.replicas().contains(node) ? 1 : 0;
            }
        }
        return count;
    }

    private ClusterLayout layout() {
        return ClusterLayout.of(nodes.values(), partitions.values());
    }

    private Result recordVoter(VoterAddress voter) {
        if (voter.equals(voters.get(voter.id()))) {
            return new Result.VoterDirectoryChanged(voter.id(), false);
        }
        // One id per Raft address: a voter removed and replaced by another id at its address is forgotten.
        voters.values().removeIf(known -> known.raftAddress().equals(voter.raftAddress()));
        voters.put(voter.id(), voter);
        changed();
        return new Result.VoterDirectoryChanged(voter.id(), true);
    }

    private Result forgetVoter(String id) {
        boolean known = voters.remove(id) != null;
        if (known) {
            changed();
        }
        return new Result.VoterDirectoryChanged(id, known);
    }

    /**
     * One round of replica moves for a view ({@link Rebalancer#plan}): replicas off dead,
     * draining and decommissioned nodes first, then balancing; empty when nothing is to move.
     * A pure function of the view, callable from any thread.
     *
     * @param maxMoves the most moves in the round, at least 1
     */
    public static Optional<Command.ApplyMoves> rebalance(ClusterView view, int maxMoves) {
        return rebalance(view, maxMoves, (partition, shard) -> 0);
    }

    /**
     * As {@link #rebalance(ClusterView, int)}, with the bytes of each shard ({@code bytes} of a
     * partition id and shard number) breaking ties between moves and between receiving nodes.
     * The leader plans with the sizes the storage nodes report; the plan it proposes is applied
     * as it is, so the sizes need not be in the replicated state.
     */
    public static Optional<Command.ApplyMoves> rebalance(ClusterView view, int maxMoves, ShardBytes bytes) {
        List<ReplicaMove> moves = Rebalancer.plan(ClusterLayout.of(view.nodes(), view.partitions(), bytes), maxMoves);
        return moves.isEmpty() ? Optional.empty() : Optional.of(new Command.ApplyMoves(moves));
    }

    /**
     * The state as of the last applied command, with an empty coordinator part; immutable.
     * Nodes are sorted by id, partitions oldest first.
     */
    public ClusterView view() {
        return published.view();
    }

    /** The voter directory as of the last applied command, sorted by id; immutable. */
    public List<VoterAddress> voters() {
        return published.voters();
    }

    /** The whole state as of the last applied command (view, voter directory, pending decommissions); immutable. */
    public MetadataSnapshot snapshot() {
        return published;
    }

    /** The metadata version: the number of changes applied so far. */
    public long version() {
        return published.view().version();
    }

    /**
     * Replaces the whole state with a snapshot's (a voter that loads a snapshot on start or
     * receives one from the leader).
     */
    public void restore(MetadataSnapshot snapshot) {
        nodes.clear();
        partitions.clear();
        idsByName.clear();
        decommissioning.clear();
        voters.clear();
        for (StorageNode node : snapshot.view().nodes()) {
            nodes.put(node.id(), node);
        }
        for (Partition partition : snapshot.view().partitions()) {
            add(partition);
        }
        decommissioning.addAll(snapshot.decommissioning());
        for (VoterAddress voter : snapshot.voters()) {
            voters.put(voter.id(), voter);
        }
        version = snapshot.view().version();
        publish();
    }

    private void add(Partition partition) {
        partitions.put(partition.id(), partition);
        idsByName.put(new TenantName(partition.tenant(), partition.name()), partition.id());
    }

    /** A partition name within its tenant. */
    private record TenantName(String tenant, String name) {
    }

    private void changed() {
        version++;
        publish();
    }

    private void publish() {
        published = new MetadataSnapshot(new ClusterView(version, NO_COORDINATOR, List.copyOf(nodes.values()),
                new ArrayList<>(partitions.values())), List.copyOf(voters.values()), List.copyOf(decommissioning));
    }
}
