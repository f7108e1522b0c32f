package io.timberdb.coordinator.state;

import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.StorageNode;

/**
 * What applying one {@link Command} did. Every voter computes the same result for the same log
 * entry; the proposer's voter hands it back to the caller. Results are immutable values.
 */
public sealed interface Result {

    /** The partition exists now; also the answer when the same command is applied again. */
    record PartitionCreated(Partition partition) implements Result {
    }

    /** Another partition already has the requested name; nothing changed. */
    record PartitionExists(Partition existing) implements Result {
    }

    /** No storage node is active, so no shard could be placed; nothing changed. */
    record NoStorageNodes() implements Result {
    }

    /**
     * The node as registered.
     *
     * @param changed whether the command changed the metadata (and advanced its version)
     */
    record NodeRegistered(StorageNode node, boolean changed) implements Result {
    }

    /** The command contradicts the state (e.g. a partition id reused for another name); nothing changed. */
    record Rejected(String reason) implements Result {
    }

    /**
     * What the voter directory holds for a voter after a {@link Command.RecordVoter} or
     * {@link Command.ForgetVoter}.
     *
     * @param id the voter's id
     * @param changed whether the command changed the metadata (and advanced its version)
     */
    record VoterDirectoryChanged(String id, boolean changed) implements Result {
    }

    /**
     * Fewer storage nodes are active than the replication factor asks for; nothing changed.
     *
     * @param replicationFactor the replicas a shard the command asked for
     * @param activeNodes how many nodes are active
     */
    record NotEnoughNodes(int replicationFactor, int activeNodes) implements Result {
    }

    /** The partition after an update; also the answer when the update changed nothing. */
    record PartitionUpdated(Partition partition) implements Result {
    }

    /** The partition was deleted. */
    record PartitionDeleted(Partition partition) implements Result {
    }

    /** No partition has the id; nothing changed. */
    record PartitionNotFound(String id) implements Result {
    }

    /** No storage node has the id; nothing changed. */
    record NodeNotFound(String id) implements Result {
    }

    /**
     * The node after a {@link Command.SetNodeState}.
     *
     * @param changed whether the command changed the metadata (and advanced its version)
     */
    record NodeStateChanged(StorageNode node, boolean changed) implements Result {
    }

    /**
     * A round of moves was applied.
     *
     * @param moves how many replicas moved
     * @param shards how many shards changed replicas (and had their epoch raised)
     */
    record MovesApplied(int moves, int shards) implements Result {
    }

    /** No shard of the partition has the number; nothing changed. */
    record ShardNotFound(String partitionId, int shard) implements Result {
    }

    /**
     * The partition after an {@link Command.AlterIsr}.
     *
     * @param changed whether the ISR changed (false for a retried request already applied)
     */
    record IsrChanged(Partition partition, boolean changed) implements Result {
    }

    /**
     * An {@link Command.AlterIsr} that expected another leader, epoch or ISR; nothing changed.
     *
     * @param current the shard's placement now
     */
    record IsrConflict(Partition.ShardPlacement current, String reason) implements Result {
    }

    /** An {@link Command.AlterIsr} at the current leader and epoch whose new ISR lists a node that is no replica. */
    record IsrInvalid(String reason) implements Result {
    }

    /** An {@link Command.ElectLeaders} moved the leadership of this many shards (and raised their epochs). */
    record LeadersElected(int shards) implements Result {
    }

    /** A {@link Command.CompleteMoves} dropped this many replicas from this many shards. */
    record MovesCompleted(int replicas, int shards) implements Result {
    }
}
