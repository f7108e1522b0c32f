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

    /** The partition with this id or, failing that, this name. */
    public Optional<Partition> partition(String idOrName) {
        for (Partition p : partitions) {
            if (p.id().equals(idOrName)) {
                return Optional.of(p);
            }
        }
        return partitions.stream().filter(p -> p.name().equals(idOrName)).findFirst();
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
