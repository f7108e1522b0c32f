package io.timberdb.coordinator.api;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.web.HealthDetails;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The metadata group's part of {@code GET /health}: the leader, the voters, this voter's Raft
 * role, the number of storage nodes and the metadata version; {@code DOWN} while no leader is
 * known or when this voter stopped on an error. Thread-safe: reads immutable views.
 */
public final class RaftHealthDetails implements HealthDetails {

    private final MetadataGroup group;

    public RaftHealthDetails(MetadataGroup group) {
        this.group = group;
    }

    @Override
    public Mono<Map<String, Object>> details() {
        return Mono.fromSupplier(() -> {
            ClusterView view = group.view();
            String leader = group.leaderId();
            Map<String, Object> details = new LinkedHashMap<>();
            String role = group.role();
            // No leader: no write can be taken. Error/shutdown: this voter stopped applying the log.
            if (leader == null || role.equals("error") || role.equals("shutdown")) {
                details.put("status", "DOWN");
            }
            details.put("leader", leader);
            details.put("voters", group.voterIds());
            details.put("raft_role", role);
            details.put("storage_nodes", view.nodes().size());
            details.put("metadata_version", view.version());
            return details;
        });
    }
}
