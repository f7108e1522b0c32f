package io.timberdb.coordinator.state;

import io.timberdb.model.cluster.ClusterView;
import java.util.List;
import java.util.Objects;

/**
 * The whole metadata state at one point of the log: the cluster view (with an empty coordinator
 * part), the voter directory and the pending decommissions. What a Raft snapshot holds
 * ({@link SnapshotCodec}).
 *
 * @param view storage nodes, partitions and the metadata version
 * @param voters the voter directory, sorted by id
 * @param decommissioning the ids of the draining nodes that become decommissioned once they hold
 *        no replica, sorted
 *
 * <p>An immutable value.
 */
public record MetadataSnapshot(ClusterView view, List<VoterAddress> voters, List<String> decommissioning) {

    /** The state before any command. */
    public static final MetadataSnapshot EMPTY = new MetadataSnapshot(ClusterView.EMPTY, List.of());

    public MetadataSnapshot {
        Objects.requireNonNull(view, "view");
        voters = voters == null ? List.of() : List.copyOf(voters);
        decommissioning = decommissioning == null ? List.of() : List.copyOf(decommissioning);
    }

    /** A state without pending decommissions. */
    public MetadataSnapshot(ClusterView view, List<VoterAddress> voters) {
        this(view, voters, List.of());
    }
}
