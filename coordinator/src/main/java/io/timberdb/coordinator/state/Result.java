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
}
