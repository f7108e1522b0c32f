package io.timberdb.coordinator.raft;

import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The requests waiting for a cluster view newer than a version they name (the cluster view
 * watch). Each waiter is a future: it completes with the first view published with a version
 * above its own, or at once when the view at registration already is one. Nothing waits on a
 * thread: the state machine completes the futures from its apply path.
 *
 * <p>Thread-safety: safe for any thread. Request threads register waiters and cancel them; the
 * state-machine thread publishes. A waiter is registered before the current view is read, so a
 * view published in between completes it from one side or the other (completing twice is
 * harmless): no newer view is missed. A completed or cancelled future leaves the set.
 *
 * <p>Bounded: past {@link #MAX_WAITERS} a registration fails at once with {@code UNAVAILABLE}.
 */
final class ViewWatchers {

    /** Far more than the services of a cluster hold open (one each), few enough to bound memory. */
    static final int MAX_WAITERS = 10_000;

    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

    /**
     * A future completed with the first view whose version is above {@code version}.
     *
     * @param current the view applied now, read after the waiter is registered
     */
    CompletableFuture<ClusterView> newerThan(long version, Supplier<ClusterView> current) {
        if (waiters.size() >= MAX_WAITERS) {
            return CompletableFuture.failedFuture(new TimberException(ErrorCode.UNAVAILABLE,
                    "too many cluster view watches are waiting (" + MAX_WAITERS + "); poll instead"));
        }
        Waiter waiter = new Waiter(version);
        waiters.add(waiter);
        waiter.future.whenComplete((view, e) -> waiters.remove(waiter));
        ClusterView now = current.get();
        if (now.version() > version) {
            waiter.future.complete(now);
        }
        return waiter.future;
    }

    /** Completes the waiters that {@code view} is newer for; cheap when none wait. */
    void publish(ClusterView view) {
        for (Waiter waiter : waiters) {
            if (view.version() > waiter.after) {
                waiter.future.complete(view);
            }
        }
    }

    /** Fails every waiter with {@code failure}: the voter is stopping. */
    void failAll(RuntimeException failure) {
        for (Waiter waiter : waiters) {
            waiter.future.completeExceptionally(failure);
        }
    }

    /** The number of waiters; for tests. */
    int size() {
        return waiters.size();
    }

    /** Identity-equal on purpose: two requests for the same version are two waiters. */
    private static final class Waiter {
        final long after;
        final CompletableFuture<ClusterView> future = new CompletableFuture<>();

        Waiter(long after) {
            this.after = after;
        }
    }
}
