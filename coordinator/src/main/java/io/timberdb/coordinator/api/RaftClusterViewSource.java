package io.timberdb.coordinator.api;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * The cluster view straight from the local voter's state, with the Raft leader and voters filled
 * in. {@link #refresh()} first waits until this voter has applied every write committed before
 * the call (a Raft read index), so a read after a write made through another voter sees it;
 * during an election it answers the local state.
 *
 * <p>Thread-safe: it holds no state of its own; views are immutable.
 */
public final class RaftClusterViewSource implements ClusterViewSource {

    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(3);

    private final MetadataGroup group;

    public RaftClusterViewSource(MetadataGroup group) {
        this.group = group;
    }

    @Override
    public ClusterView current() {
        return withCoordinator(group.view());
    }

    @Override
    public Mono<ClusterView> refresh() {
        return Mono.fromFuture(group::syncedView)
                .timeout(SYNC_TIMEOUT)
                .onErrorResume(e -> Mono.fromSupplier(group::view))
                .map(this::withCoordinator);
    }

    private ClusterView withCoordinator(ClusterView state) {
        return new ClusterView(state.version(), new ClusterView.Coordinator(group.leaderId(), group.voterIds()),
                state.nodes(), state.partitions());
    }
}
