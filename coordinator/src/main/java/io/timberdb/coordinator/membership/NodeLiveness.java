package io.timberdb.coordinator.membership;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this voter last heard from each storage node: the registrations and heartbeats it
 * answered as leader. Kept in memory only, never in the Raft log, so heartbeats cost no writes;
 * a new leader starts empty and gives every node a grace period instead (see
 * {@link MembershipKeeper}).
 *
 * <p>Thread-safe: a concurrent map written by request threads and read by the keeper.
 */
public final class NodeLiveness {

    private final InstantSource clock;
    private final Map<String, Instant> lastHeard = new ConcurrentHashMap<>();

    public NodeLiveness(InstantSource clock) {
        this.clock = clock;
    }

    /** Records that the node was heard from now. */
    public void heard(String nodeId) {
        lastHeard.put(nodeId, clock.instant());
    }

    /** When the node was last heard from by this voter, if ever. */
    public Optional<Instant> lastHeard(String nodeId) {
        return Optional.ofNullable(lastHeard.get(nodeId));
    }
}
