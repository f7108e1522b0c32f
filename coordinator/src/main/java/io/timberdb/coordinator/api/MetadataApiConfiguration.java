package io.timberdb.coordinator.api;

import io.timberdb.coordinator.membership.MembershipKeeper;
import io.timberdb.coordinator.membership.NodeLiveness;
import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.web.ClusterCredential;
import io.timberdb.model.web.InternalTls;
import io.timberdb.model.web.ClusterCredentialConfiguration;
import io.timberdb.model.web.HealthDetails;
import java.time.Duration;
import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The coordinator's services over a running {@link MetadataGroup}: the partition catalog, the
 * cluster view, the node registry with the leader's liveness and membership keeper, the shards'
 * ISR changes, leader forwarding and the Raft part of {@code /health}.
 * Imported by the coordinator application and by the standalone, which each provide the
 * {@link MetadataGroup} (three voters, or one) and the {@link Settings}.
 */
@Configuration(proxyBeanMethods = false)
@Import(ClusterCredentialConfiguration.class)
public class MetadataApiConfiguration {

    /**
     * @param shardCount the shards of a new partition whose request gives none
     * @param leaderWait how long a write waits for a leader before answering 503
     * @param replicationFactor the replicas a shard of a new partition whose request gives none
     * @param membership the leader's node timeout and rebalancing rounds
     */
    public record Settings(int shardCount, Duration leaderWait, int replicationFactor,
                           MembershipKeeper.Settings membership) {

        /** The most replica moves a rebalancing round by default. */
        public static final int DEFAULT_MAX_MOVES = 4;

        /**
         * One replica a shard by default, and no node ever marked dead: the standalone, whose
         * only storage node is in-process and registers once.
         */
        public Settings(int shardCount, Duration leaderWait) {
            this(shardCount, leaderWait, 1, new MembershipKeeper.Settings(Duration.ZERO, DEFAULT_MAX_MOVES, false));
        }
    }

    @Bean
    LeaderForwarder leaderForwarder(MetadataGroup group, WebClient.Builder http, Settings settings,
                                    ClusterCredential credential, InternalTls tls) {
        return new LeaderForwarder(group, credential.applyTo(tls.applyTo(http)), settings.leaderWait());
    }

    @Bean
    ForwardedWriteFilter forwardedWriteFilter(ClusterCredential credential) {
        return new ForwardedWriteFilter(credential);
    }

    @Bean
    RaftPartitionCatalog partitionCatalog(MetadataGroup group, LeaderForwarder forwarder, InstantSource clock,
                                      Settings settings) {
        return new RaftPartitionCatalog(group, forwarder, clock, settings.shardCount(), settings.replicationFactor());
    }

    @Bean
    ClusterViewSource clusterViewSource(MetadataGroup group) {
        return new RaftClusterViewSource(group);
    }

    @Bean
    NodeLiveness nodeLiveness(InstantSource clock) {
        return new NodeLiveness(clock);
    }

    @Bean
    NodeRegistry nodeRegistry(MetadataGroup group, LeaderForwarder forwarder, InstantSource clock, NodeLiveness liveness) {
        return new RaftNodeRegistry(group, forwarder, clock, liveness);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    MembershipKeeper membershipKeeper(MetadataGroup group, NodeLiveness liveness, InstantSource clock,
                                      Settings settings) {
        return new MembershipKeeper(group, liveness, clock, settings.membership());
    }

    @Bean
    IsrRegistry isrRegistry(LeaderForwarder forwarder) {
        return new RaftIsrRegistry(forwarder);
    }

    @Bean
    VoterRegistry voterRegistry(MetadataGroup group, LeaderForwarder forwarder) {
        return new RaftVoterRegistry(group, forwarder);
    }

    @Bean
    HealthDetails raftHealthDetails(MetadataGroup group) {
        return new RaftHealthDetails(group);
    }
}
