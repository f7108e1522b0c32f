package io.timberdb.coordinator.state;

import io.timberdb.model.cluster.ClusterView;
import java.util.List;
import java.util.Objects;

/**
 * The whole metadata state at one point of the log: the cluster view (with an empty coordinator
 * part) and the voter directory. What a Raft snapshot holds ({@link SnapshotCodec}).
 *
 * @param view storage nodes, partitions and the metadata version
 * @param voters the voter directory, sorted by id
 *
 * <p>An immutable value.
 */
public record MetadataSnapshot(ClusterView view, List<VoterAddress> voters) {

    /** The state before any command. */
    public static final MetadataSnapshot EMPTY = new MetadataSnapshot(ClusterView.EMPTY, List.of());

    public MetadataSnapshot {
        Objects.requireNonNull(view, "view");
        voters = voters == null ? List.of() : List.copyOf(voters);
    }
}
