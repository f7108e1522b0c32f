package io.timberdb.storage.replication;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code timberdb.storage.replication.*}: how a storage node replicates the shards it holds.
 *
 * @param replicaLagTime how long an in-sync follower may stay behind the leader's end before the
 *        leader takes it out of the ISR (writes wait for it until then)
 * @param fetchWait how long a leader holds a follower's fetch when it has nothing new
 * @param fetchMaxBytes about how many entry bytes one fetch answer carries
 * @param checkInterval how often replicas compare their roles with the cluster view, and leaders
 *        check their followers
 * @param checkpointInterval how often replicas write their committed point to disk
 * @param copyBytesPerSecond the most bytes a second a replica copies another's blocks at (a new
 *        replica, or one that fell too far behind), so that a copy leaves room for ingest
 */
@ConfigurationProperties("timberdb.storage.replication")
public record ReplicationProperties(
        @DefaultValue("3s") Duration replicaLagTime,
        @DefaultValue("500ms") Duration fetchWait,
        @DefaultValue("4194304") int fetchMaxBytes,
        @DefaultValue("100ms") Duration checkInterval,
        @DefaultValue("1s") Duration checkpointInterval,
        @DefaultValue("67108864") long copyBytesPerSecond) {

    public ReplicationProperties {
        if (replicaLagTime.toMillis() < 1 || fetchWait.isNegative() || fetchMaxBytes < 1
                || checkInterval.toMillis() < 1 || checkpointInterval.toMillis() < 1 || copyBytesPerSecond < 1) {
            throw new IllegalArgumentException("timberdb.storage.replication: durations must be positive and "
                    + "fetch-max-bytes at least 1");
        }
    }

    /** The defaults. */
    public static ReplicationProperties defaults() {
        return new ReplicationProperties(Duration.ofSeconds(3), Duration.ofMillis(500), 4 << 20,
                Duration.ofMillis(100), Duration.ofSeconds(1), 64L << 20);
    }
}
