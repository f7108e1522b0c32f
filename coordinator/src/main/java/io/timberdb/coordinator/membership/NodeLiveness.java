package io.timberdb.coordinator.membership;

import io.timberdb.model.shard.ShardId;
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
    /** What each node last reported its shards to take, keyed {@code <partition id>/<shard>}. */
    private final Map<String, Map<String, Long>> shardBytes = new ConcurrentHashMap<>();

    public NodeLiveness(InstantSource clock) {
        this.clock = clock;
    }

    /** Records that the node was heard from now. */
    public void heard(String nodeId) {
        lastHeard.put(nodeId, clock.instant());
    }

    /** Records that the node was heard from now, reporting the bytes of its shards (kept when it reports none). */
    public void heard(String nodeId, Map<String, Long> bytesByShard) {
        heard(nodeId);
        if (!bytesByShard.isEmpty()) {
            shardBytes.put(nodeId, Map.copyOf(bytesByShard));
        }
    }

    /**
     * The bytes of a shard as its replicas last reported them: the most any replica reported (the
     * leader holds the most; a new replica less), 0 when none did.
     */
    public long shardBytes(String partitionId, int shard) {
        String key = new ShardId(partitionId, shard).toString(); // as storage nodes key them
        long most = 0;
        for (Map<String, Long> reported : shardBytes.values()) {
            most = Math.max(most, reported.getOrDefault(key, 0L));
        }
        return most;
    }

    /** When the node was last heard from by this voter, if ever. */
    public Optional<Instant> lastHeard(String nodeId) {
        return Optional.ofNullable(lastHeard.get(nodeId));
    }
}
