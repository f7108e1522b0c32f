package io.timberdb.storage.shard;

import io.timberdb.model.cluster.ClusterViewSource;
import java.time.Duration;
import java.util.Optional;

/** How long each partition keeps its entries; empty: keep them (a partition this node does not know). */
@FunctionalInterface
public interface RetentionPolicy {

    Optional<Duration> retention(String partitionId);

    /**
     * Each partition's {@code retention_days} from the cluster view. A partition the view does not
     * hold (not yet learnt, or a view that failed to load) keeps everything: nothing is deleted on
     * a guess.
     */
    static RetentionPolicy fromClusterView(ClusterViewSource view) {
        return partitionId -> view.current().partition(partitionId).map(p -> Duration.ofDays(p.retentionDays()));
    }
}
