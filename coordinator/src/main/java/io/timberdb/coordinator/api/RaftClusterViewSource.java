package io.timberdb.coordinator.api;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The cluster view straight from the local voter's state, with the Raft leader and voters filled
 * in. {@link #refresh()} first waits until this voter has applied every write committed before
 * the call (a Raft read index), so a read after a write made through another voter sees it;
 * when the read index fails (during an election: no leader to confirm the commit index), it
 * fails with 503 {@code UNAVAILABLE} rather than answer the local state, which can lack a write
 * the old leader acknowledged just before it died. Callers that can live with a stale view ask
 * for {@link #current()} instead (the services keep theirs, see {@code HttpClusterViewSource}). {@link #newerThan} waits, without a thread,
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
                .onErrorMap(e -> !(e instanceof TimberException), e -> new TimberException(ErrorCode.UNAVAILABLE,
                        "the cluster view cannot be confirmed current now (no coordinator leader); retry shortly", null))
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
