package io.timberdb.coordinator;

import io.timberdb.coordinator.api.MetadataApiConfiguration;
import io.timberdb.coordinator.membership.MembershipKeeper;
import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.raft.RaftTls;
import io.timberdb.coordinator.raft.Voter;
import io.timberdb.model.config.NodeProperties;
import io.timberdb.model.web.HealthController;
import io.timberdb.model.web.InternalTls;
import io.timberdb.model.web.InternalTlsConfiguration;
import io.timberdb.model.web.NodeIdentity;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.web.server.Ssl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.validation.annotation.Validated;

/**
 * Wires the coordinator: this process's voter of the metadata Raft group (in
 * {@code <timberdb.data-dir>/raft}, over TLS when an internal TLS bundle is named), the Raft-backed partition catalog, cluster view and node
 * registry behind the public and internal routes, and {@code /health}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NodeProperties.class, CoordinatorConfiguration.CoordinatorProperties.class})
@Import({MetadataApiConfiguration.class, HealthController.class})
public class CoordinatorConfiguration {

    /**
     * {@code timberdb.coordinator.*}.
     *
     * @param voters the voters of the metadata group as {@code id@raft-host:raft-port@http-url}
     *        ({@code TIMBERDB_COORDINATOR_VOTERS}, comma-separated); the one whose id is
     *        {@code timberdb.node-id} is this process. They seed the group's first configuration and
     *        the voters' HTTP URLs; once the Raft log holds a configuration (voters added or removed
     *        at runtime, {@code /internal/v1/voters}), the log's wins
     * @param electionTimeout how long followers wait for the leader's heartbeat (the spec's {@code election_timeout})
     * @param heartbeatInterval how often the leader sends heartbeats (the spec's {@code heartbeat_interval}); at
     *        most half the election timeout
     * @param snapshotInterval how often each voter snapshots the metadata and truncates its log
     * @param snapshotThreshold entries applied after which a voter snapshots besides (the spec's
     *        {@code snapshot_threshold}); 0 for the interval alone
     * @param defaultShardCount the shards of each new partition
     * @param leaderWait how long a write waits for a leader (during an election) before answering 503
     * @param defaultReplicationFactor the replicas a shard of a new partition whose request gives none
     *        (1..5; 3). While fewer storage nodes are active, such a partition gets one replica per
     *        active node instead ({@code RaftPartitionCatalog})
     * @param nodeTimeout how long the leader waits without a heartbeat before it marks a storage node
     *        dead (and after it becomes leader, before it marks any); at least 1 s, and well above the
     *        storage nodes' heartbeat interval (1 s)
     * @param rebalanceMaxMoves the most replica moves in flight at once (the leader proposes a round
     *        about ten times a node timeout, at most once a second)
     * @param moveReplicas whether the leader moves replicas at all: off of a dead or draining node,
     *        and onto new nodes. On by default: a move copies before it cuts ({@code MembershipKeeper})
     * @param leaderFailoverTimeout how long a storage node may stay silent before the leader gives
     *        the shards it leads other leaders (and after it becomes leader, before it does so for
     *        any); 0 never to fail over; keep it a few storage heartbeat intervals (1 s)
     * @param uncleanLeaderElection whether a shard whose in-sync replicas are all silent may be led
     *        by a live out-of-sync replica, which may lack acknowledged entries (off)
     */
    @Validated
    @ConfigurationProperties("timberdb.coordinator")
    public record CoordinatorProperties(
            @NotEmpty List<Voter> voters,
            @DefaultValue("1500ms") @DurationMin(millis = 100) Duration electionTimeout,
            @DefaultValue("150ms") @DurationMin(millis = 1) Duration heartbeatInterval,
            @DefaultValue("30m") @DurationMin(seconds = 1) Duration snapshotInterval,
            @DefaultValue("10000") @Min(0) long snapshotThreshold,
            @DefaultValue("3") @Min(1) @Max(1024) int defaultShardCount,
            @DefaultValue("5s") @DurationMin(millis = 0) Duration leaderWait,
            @DefaultValue("3") @Min(1) @Max(5) int defaultReplicationFactor,
            @DefaultValue("30s") @DurationMin(seconds = 1) Duration nodeTimeout,
            @DefaultValue("4") @Min(1) @Max(10_000) int rebalanceMaxMoves,
            @DefaultValue("true") boolean moveReplicas,
            @DefaultValue("3s") @DurationMin(millis = 0) Duration leaderFailoverTimeout,
            @DefaultValue("false") boolean uncleanLeaderElection) {
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    NodeIdentity nodeIdentity(NodeProperties node, Clock clock) {
        return new NodeIdentity(node.nodeId(), "coordinator", NodeIdentity.buildVersion(), clock.instant());
    }

    /**
     * This process's voter. Its Raft TLS is settled here, once, before the voter starts: see
     * {@link #raftTls}.
     */
    @Bean(destroyMethod = "close")
    MetadataGroup metadataGroup(NodeProperties node, CoordinatorProperties coordinator, InternalTls internalTls,
                                Environment env) throws IOException {
        Path dir = node.dataDir().resolve("raft");
        MetadataGroup.useRpcLogDirectory(node.dataDir().resolve("logs"));
        Ssl.ClientAuth clientAuth = Binder.get(env).bind("server.ssl.client-auth", Ssl.ClientAuth.class)
                .orElse(Ssl.ClientAuth.NONE);
        return MetadataGroup.start(node.nodeId(), coordinator.voters(), dir, new MetadataGroup.Settings(
                coordinator.electionTimeout(), coordinator.heartbeatInterval(), coordinator.snapshotInterval(),
                coordinator.snapshotThreshold()), 0, raftTls(internalTls, clientAuth));
    }

    /**
     * The TLS of the voter's Raft connections: plain TCP when no internal bundle is named
     * ({@code timberdb.internal-tls.bundle}); else the bundle's key pair, presented by the Raft
     * server and (for mutual TLS) by the Raft client, and its truststore, which peers' certificates
     * must chain to, the bundle read again for each new connection (a reloaded bundle reaches the
     * next ones; nothing is read once per JVM). Client certificates are required as on the HTTP
     * side: when {@code server.ssl.client-auth} is {@code need}; {@code want} does not require
     * them (Bolt's engines either need a client certificate or ask for none).
     *
     * @throws IllegalStateException when the bundle holds no key pair: a Raft server needs one
     */
    static RaftTls raftTls(InternalTls tls, Ssl.ClientAuth clientAuth) {
        if (!tls.configured()) {
            return RaftTls.none();
        }
        if (tls.current().getStores().getKeyStore() == null) {
            throw new IllegalStateException("the internal TLS bundle (" + InternalTlsConfiguration.BUNDLE_PROPERTY
                    + ") has no keystore: the coordinators' Raft server and client need this process's key pair");
        }
        return RaftTls.of(tls::newEngine, clientAuth == Ssl.ClientAuth.NEED);
    }

    @Bean
    MetadataApiConfiguration.Settings metadataSettings(CoordinatorProperties coordinator) {
        return new MetadataApiConfiguration.Settings(coordinator.defaultShardCount(), coordinator.leaderWait(),
                coordinator.defaultReplicationFactor(),
                new MembershipKeeper.Settings(coordinator.nodeTimeout(), coordinator.rebalanceMaxMoves(),
                        coordinator.moveReplicas(), coordinator.leaderFailoverTimeout(),
                        coordinator.uncleanLeaderElection()));
    }
}
