package io.timberdb.coordinator.api;

import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/cluster}: the {@link ClusterView} this voter holds (the leader, voters,
 * storage nodes, partitions and placement at one version). Stateless and thread-safe.
 */
@RestController
public class ClusterController {

    private final ClusterViewSource views;

    public ClusterController(ClusterViewSource views) {
        this.views = views;
    }

    /**
     * The view; with {@code consistent=true}, only once this voter has applied every write
     * committed before the request (a Raft read index), so that a service that has just been told
     * about a new partition by a client finds it.
     */
    @GetMapping("/api/v1/cluster")
    public Mono<ClusterView> cluster(@RequestParam(defaultValue = "false") boolean consistent) {
        return consistent ? views.refresh() : Mono.fromSupplier(views::current);
    }
}
