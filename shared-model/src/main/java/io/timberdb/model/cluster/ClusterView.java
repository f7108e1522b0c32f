package io.timberdb.model.cluster;

import io.timberdb.model.api.Partition;
import java.util.List;
import java.util.Optional;

/**
 * The coordinator's view of the cluster at one {@code version}: who leads the coordinator group,
 * which storage nodes exist, which partitions exist and where their shards live. Every change
 * to the metadata increases {@code version}, so a cached copy can tell whether it is current.
 */
public record ClusterView(long version, Coordinator coordinator, List<StorageNode> nodes, List<Partition> partitions) {

    public ClusterView {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
    }

    /** The empty view a cache starts from before it has heard from a coordinator. */
    public static final ClusterView EMPTY = new ClusterView(0, new Coordinator(null, List.of()), List.of(), List.of());

    /**
     * The partition with this id or, failing that, this name, whatever its tenant: for the
     * cluster's own lookups by id (a storage node's retention). A caller's lookup goes through
     * {@link #partition(String, String)}.
     */
    public Optional<Partition> partition(String idOrName) {
        for (Partition p : partitions) {
            if (p.id().equals(idOrName)) {
                return Optional.of(p);
            }
        }
        return partitions.stream().filter(p -> p.name().equals(idOrName)).findFirst();
    }

    /**
     * The partition of {@code tenant} with this id or, failing that, this name: another tenant's
     * partition is not found, exactly as a missing one (names are unique within a tenant only).
     */
    public Optional<Partition> partition(String tenant, String idOrName) {
        for (Partition p : partitions) {
            if (p.id().equals(idOrName) && p.tenant().equals(tenant)) {
                return Optional.of(p);
            }
        }
        return partitions.stream().filter(p -> p.name().equals(idOrName) && p.tenant().equals(tenant)).findFirst();
    }

    /** The partitions of {@code tenant}, oldest first. */
    public List<Partition> partitionsOf(String tenant) {
        return partitions.stream().filter(p -> p.tenant().equals(tenant)).toList();
    }

    /** The storage node with this id. */
    public Optional<StorageNode> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /**
     * The coordinator group.
     *
     * @param leader the node id of the current Raft leader, or null during an election
     * @param voters the node ids of the voters
     */
    public record Coordinator(String leader, List<String> voters) {
        public Coordinator {
            voters = voters == null ? List.of() : List.copyOf(voters);
        }
    }
}
