package io.timberdb.model.client;

import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.web.HealthDetails;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A cluster view cached from the coordinator group and kept current by a watch on its version
 * (a long poll, {@code GET /api/v1/cluster?after=<version>&wait=30s}), and refreshed on demand (an
 * unknown partition name triggers a consistent read before answering 404). When no coordinator
 * answers, the cached view keeps serving: ingest and queries go on during a coordinator election.
 *
 * <p>The loop asks each watch for a view newer than the one held; a 304 (nothing new within the
 * wait) asks again at once. When a watch fails (no coordinator answers, or one that does not
 * know the watch answers a view no newer than asked), it falls back to polling every
 * {@code interval} for twice as long as after the previous failure (from {@code 2 × interval}
 * up to a minute), then tries the watch again. A cached view is only ever replaced by a newer
 * version, whichever path brought it.
 *
 * <p>Thread-safe: the view is an immutable record in a volatile field, replaced only by a newer
 * version; the loop runs one step at a time.
 */
public final class HttpClusterViewSource implements ClusterViewSource, AutoCloseable {

    /** How long each watch asks the coordinator to hold it; within the coordinator's 60 s cap. */
    static final Duration WATCH_WAIT = Duration.ofSeconds(30);
    /** The longest stretch of polling between two attempts at the watch. */
    static final Duration MAX_POLLING = Duration.ofMinutes(1);
    /** Doublings of the polling stretch after which it stops growing (long before MAX_POLLING caps it). */
    private static final int MAX_DOUBLINGS = 16;

    private static final Logger log = LoggerFactory.getLogger(HttpClusterViewSource.class);

    private final CoordinatorClient client;
    private final Duration interval;
    private final Duration wait;
    /** Volatile: published by the loop and by on-demand refreshes, read by request threads. */
    private volatile ClusterView view = ClusterView.EMPTY;
    /** Volatile: whether the last watch succeeded (else the loop is polling); read by health. */
    private volatile boolean watching;
    /** Watches failed in a row; atomic because successive steps of the loop may run on different threads. */
    private final AtomicInteger failedWatches = new AtomicInteger();
    private final Disposable loop;

    /**
     * Starts the watch at once.
     *
     * @param interval how often to poll while the watch fails
     */
    public HttpClusterViewSource(CoordinatorClient client, Duration interval) {
        this(client, interval, WATCH_WAIT);
    }

    /** With the wait each watch asks for; tests shorten it. */
    HttpClusterViewSource(CoordinatorClient client, Duration interval, Duration wait) {
        this.client = client;
        this.interval = interval;
        this.wait = wait;
        this.loop = Mono.defer(this::step).repeat().subscribe();
    }

    @Override
    public ClusterView current() {
        return view;
    }

    @Override
    public Mono<ClusterView> refresh() {
        return client.view().map(this::accept);
    }

    /** One step of the loop: a watch or, when it fails, a stretch of polling. Never fails. */
    private Mono<Void> step() {
        long after = view.version();
        return client.watch(after, wait)
                .flatMap(answer -> watched(after, answer))
                .onErrorResume(this::pollAfterFailedWatch);
    }

    private Mono<Void> watched(long after, Optional<ClusterView> answer) {
        if (answer.isPresent()) {
            ClusterView fresh = accept(answer.get());
            if (answer.get().version() <= after) {
                // A coordinator that predates the watch ignores its parameters and answers at once.
                return Mono.error(new IllegalStateException("a watch after version " + after
                        + " was answered with version " + answer.get().version() + " (held: " + fresh.version()
                        + "): the coordinator does not watch"));
            }
        }
        watching = true;
        failedWatches.set(0);
        return Mono.empty();
    }

    private Mono<Void> pollAfterFailedWatch(Throwable failure) {
        watching = false;
        int failures = failedWatches.incrementAndGet();
        Duration stretch = interval.multipliedBy(1L << Math.min(failures, MAX_DOUBLINGS));
        if (stretch.compareTo(MAX_POLLING) > 0) {
            stretch = interval.compareTo(MAX_POLLING) > 0 ? interval : MAX_POLLING;
        }
        log.debug("cluster view watch failed ({} in a row): {}; polling every {} for {}",
                failures, failure.toString(), interval, stretch);
        return Flux.interval(Duration.ZERO, interval)
                .take(stretch)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    log.debug("cluster view refresh failed: {}", e.toString());
                    return Mono.empty();
                }))
                .then();
    }

    private synchronized ClusterView accept(ClusterView fresh) {
        // A voter that lags may answer an older version than one already seen: keep the newer.
        if (fresh.version() >= view.version()) {
            view = fresh;
        }
        return view;
    }

    /**
     * What {@code /health} shows about the cached view: its version, the leader, the partitions,
     * and whether it is kept by the watch or by polling.
     */
    public HealthDetails health() {
        return () -> Mono.fromSupplier(() -> {
            ClusterView v = view;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("cluster_view_version", v.version());
            details.put("cluster_view_updates", watching ? "watch" : "poll");
            details.put("coordinator_leader", v.coordinator().leader());
            details.put("partitions", v.partitions().size());
            return details;
        });
    }

    /** Stops the loop; an outstanding watch or poll is cancelled. Idempotent. */
    @Override
    public void close() {
        loop.dispose();
    }
}
