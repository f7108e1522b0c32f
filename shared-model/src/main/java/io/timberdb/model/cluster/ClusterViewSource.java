package io.timberdb.model.cluster;

import io.timberdb.model.api.Partition;
import io.timberdb.model.error.TimberException;
import java.util.Optional;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Where a service gets the cluster view: in-process from the coordinator state machine
 * (standalone, and the coordinator itself), or over HTTP from the coordinator group (cluster).
 */
public interface ClusterViewSource {

    /** The latest view this source holds; never null, possibly stale. */
    ClusterView current();

    /** A view at least as new as the coordinator's at the time of the call. */
    Mono<ClusterView> refresh();

    /**
     * The first view this source holds with a version above {@code version}: at once when the
     * held view is one, else when a newer one arrives. A source that is not told of changes
     * (this default) answers only in the first case and otherwise never completes, so callers
     * bound the wait with a timeout.
     */
    default Mono<ClusterView> newerThan(long version) {
        return Mono.defer(() -> {
            ClusterView held = current();
            return held.version() > version ? Mono.just(held) : Mono.never();
        });
    }

    /** A source that always answers {@code view}: for tests and tools that work from a snapshot. */
    static ClusterViewSource fixed(ClusterView view) {
        return new ClusterViewSource() {
            @Override
            public ClusterView current() {
                return view;
            }

            @Override
            public Mono<ClusterView> refresh() {
                return Mono.just(view);
            }
        };
    }

    /**
     * The partition with this id or name: from the held view, else from a refreshed one.
     *
     * @return a Mono that fails with {@code PARTITION_NOT_FOUND} when no partition matches
     */
    default Mono<Partition> partition(String idOrName) {
        return find(this, view -> view.partition(idOrName), idOrName);
    }

    /**
     * The partition of {@code tenant} with this id or name: from the held view, else from a
     * refreshed one. Another tenant's partition fails exactly as a missing one.
     *
     * @return a Mono that fails with {@code PARTITION_NOT_FOUND} when none of the tenant's matches
     */
    default Mono<Partition> partition(String tenant, String idOrName) {
        return find(this, view -> view.partition(tenant, idOrName), idOrName);
    }

    /** {@code lookup} in the held view, else in a refreshed one, else {@code PARTITION_NOT_FOUND}. */
    private static Mono<Partition> find(ClusterViewSource source, Function<ClusterView, Optional<Partition>> lookup,
                                        String idOrName) {
        return lookup.apply(source.current()).map(Mono::just)
                .orElseGet(() -> source.refresh().flatMap(view -> lookup.apply(view).map(Mono::just)
                        .orElseGet(() -> Mono.error(TimberException.partitionNotFound(idOrName)))));
    }
}
