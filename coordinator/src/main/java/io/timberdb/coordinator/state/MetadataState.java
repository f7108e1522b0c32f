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
import java.util.TreeMap;

/**
 * The cluster metadata as a deterministic state machine: storage nodes, partitions with their
 * shard placement, the voter directory (where each coordinator voter is reached: Raft address
 * and HTTP URL; see {@link VoterAddress}), and a {@code version} that advances by one on every
 * change. Applying the
 * same commands in the same order yields the same state on every voter: {@link #apply} reads
 * no clock, no configuration, no randomness and does no I/O.
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
    private final Map<String, String> idsByName = new HashMap<>();
    /** Shards per node id, derived from {@link #partitions}. */
    private final Map<String, Integer> load = new HashMap<>();
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
            boolean known = voters.remove(forget.id()) != null;
            if (known) {
                changed();
            }
            return new Result.VoterDirectoryChanged(forget.id(), known);
        }
        throw new IllegalArgumentException("unknown command " + command.getClass().getName());
    }

    private Result create(Command.CreatePartition command) {
        Partition sameId = partitions.get(command.id());
        if (sameId != null) {
            // The same proposal applied twice (a retried write): answer as the first time.
            return sameId.name().equals(command.name())
                    ? new Result.PartitionCreated(sameId)
                    : new Result.Rejected("partition id " + command.id() + " already names '" + sameId.name() + "'");
        }
        String existing = idsByName.get(command.name());
        if (existing != null) {
            return new Result.PartitionExists(partitions.get(existing));
        }
        List<String> active = nodes.values().stream().filter(StorageNode::acceptsShards).map(StorageNode::id).toList();
        if (active.isEmpty()) {
            return new Result.NoStorageNodes();
        }
        List<Partition.ShardPlacement> shards = Placement.place(command.shardCount(), active, load);
        Compression codec = command.compression() == null ? new Compression(null, null, null) : command.compression();
        Partition partition = new Partition(command.id(), command.name(), command.tags(), command.retentionDays(),
                command.createdAt(), shards, codec.codec(), codec.level(), codec.threshold());
        add(partition);
        changed();
        return new Result.PartitionCreated(partition);
    }

    private Result register(Command.RegisterNode command) {
        StorageNode known = nodes.get(command.id());
        if (known != null && known.address().equals(command.address()) && known.state() == StorageNode.State.ACTIVE) {
            return new Result.NodeRegistered(known, false);
        }
        StorageNode node = new StorageNode(command.id(), command.address(), StorageNode.State.ACTIVE,
                known == null ? command.at() : known.registeredAt());
        nodes.put(node.id(), node);
        changed();
        return new Result.NodeRegistered(node, true);
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

    /** The whole state as of the last applied command (view and voter directory at one version); immutable. */
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
        load.clear();
        voters.clear();
        for (StorageNode node : snapshot.view().nodes()) {
            nodes.put(node.id(), node);
        }
        for (Partition partition : snapshot.view().partitions()) {
            add(partition);
        }
        for (VoterAddress voter : snapshot.voters()) {
            voters.put(voter.id(), voter);
        }
        version = snapshot.view().version();
        publish();
    }

    private void add(Partition partition) {
        partitions.put(partition.id(), partition);
        idsByName.put(partition.name(), partition.id());
        for (Partition.ShardPlacement shard : partition.shards()) {
            load.merge(shard.node(), 1, Integer::sum);
        }
    }

    private void changed() {
        version++;
        publish();
    }

    private void publish() {
        published = new MetadataSnapshot(new ClusterView(version, NO_COORDINATOR, List.copyOf(nodes.values()),
                new ArrayList<>(partitions.values())), List.copyOf(voters.values()));
    }
}
