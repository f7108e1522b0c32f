package io.timberdb.model.client;

import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.web.HealthDetails;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A cluster view cached from the coordinator group and refreshed every {@code interval}, and on
 * demand (an unknown partition name triggers a refresh before answering 404). When no
 * coordinator answers, the cached view keeps serving: ingest and queries go on during a
 * coordinator election.
 *
 * <p>Thread-safe: the view is an immutable record in a volatile field, replaced only by a newer version.
 */
public final class HttpClusterViewSource implements ClusterViewSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpClusterViewSource.class);

    private final CoordinatorClient client;
    /** Volatile: published by the refresh thread, read by request threads. */
    private volatile ClusterView view = ClusterView.EMPTY;
    private final Disposable poller;

    public HttpClusterViewSource(CoordinatorClient client, Duration interval) {
        this.client = client;
        this.poller = Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    log.debug("cluster view refresh failed: {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    @Override
    public ClusterView current() {
        return view;
    }

    @Override
    public Mono<ClusterView> refresh() {
        return client.view().map(this::accept);
    }

    private synchronized ClusterView accept(ClusterView fresh) {
        // A voter that lags may answer an older version than one already seen: keep the newer.
        if (fresh.version() >= view.version()) {
            view = fresh;
        }
        return view;
    }

    /** What {@code /health} shows about the cached view: its version, the leader, the partitions. */
    public HealthDetails health() {
        return () -> Mono.fromSupplier(() -> {
            ClusterView v = view;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("cluster_view_version", v.version());
            details.put("coordinator_leader", v.coordinator().leader());
            details.put("partitions", v.partitions().size());
            return details;
        });
    }

    @Override
    public void close() {
        poller.dispose();
    }
}
