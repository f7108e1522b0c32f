package io.timberdb.coordinator.api;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The cluster view straight from the local voter's state, with the Raft leader and voters filled
 * in. {@link #refresh()} first waits until this voter has applied every write committed before
 * the call (a Raft read index), so a read after a write made through another voter sees it;
 * during an election it answers the local state. {@link #newerThan} waits, without a thread,
 * until this voter applies a newer view.
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

    /**
     * The first view this voter applies above {@code version}; cancelling (e.g. a timeout)
     * withdraws the wait. The answer leaves the state-machine thread that completes it before
     * the leader is read and the view encoded.
     */
    @Override
    public Mono<ClusterView> newerThan(long version) {
        return Mono.fromFuture(() -> group.viewNewerThan(version))
                .publishOn(Schedulers.parallel())
                .map(this::withCoordinator);
    }

    private ClusterView withCoordinator(ClusterView state) {
        return new ClusterView(state.version(), new ClusterView.Coordinator(group.leaderId(), group.voterIds()),
                state.nodes(), state.partitions());
    }
}
