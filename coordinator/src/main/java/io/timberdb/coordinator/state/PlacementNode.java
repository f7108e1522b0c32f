package io.timberdb.coordinator.state;

import io.timberdb.model.cluster.StorageNode;
import java.util.Objects;

/**
 * A storage node as replica placement sees it: its id, its failure zone and its membership
 * state. Immutable.
 *
 * <p>A node carries no load figures of its own: its replica count and bytes are derived from
 * the {@link ShardAssignment}s of a {@link ClusterLayout}, so that a plan and the layout it is
 * applied to can never disagree about them.
 *
 * @param id the node id, e.g. {@code storage-2}
 * @param zone the failure zone (rack, availability zone), or {@code null} when unknown; a blank
 *     zone is taken as unknown. All nodes of unknown zone count as one unnamed zone, which is
 *     the cautious reading: they may well share a rack.
 * @param state the membership state; only {@link StorageNode.State#ACTIVE} nodes receive replicas
 */
record PlacementNode(String id, String zone, StorageNode.State state) {

    PlacementNode {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("node id must not be blank");
        }
        Objects.requireNonNull(state, "state");
        if (zone != null && zone.isBlank()) {
            zone = null;
        }
    }

    /** Whether new replicas may be placed on this node: only when it is active. */
    boolean eligible() {
        return state == StorageNode.State.ACTIVE;
    }

    /**
     * Whether replicas on this node must be moved away: it is dead, draining or decommissioned.
     * A joining node is neither eligible nor leaving; replicas already on it stay.
     */
    boolean leaving() {
        return state == StorageNode.State.DEAD
                || state == StorageNode.State.DRAINING
                || state == StorageNode.State.DECOMMISSIONED;
    }
}
