package io.timberdb.standalone;

import io.micrometer.core.instrument.MeterRegistry;
import io.timberdb.coordinator.api.ClusterController;
import io.timberdb.coordinator.api.MetadataApiConfiguration;
import io.timberdb.coordinator.api.PartitionController;
import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.ingest.api.NativeApiConfiguration;
import io.timberdb.ingest.elastic.ElasticsearchApiConfiguration;
import io.timberdb.ingest.limit.RateLimitConfiguration;
import io.timberdb.ingest.loki.LokiConfiguration;
import io.timberdb.ingest.otlp.OtlpConfiguration;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.ingest.syslog.SyslogConfiguration;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.config.NodeProperties;
import io.timberdb.model.web.HealthController;
import io.timberdb.model.web.NodeIdentity;
import io.timberdb.query.api.QueryController;
import io.timberdb.query.control.QueryProperties;
import io.timberdb.query.control.RunningQueries;
import io.timberdb.query.limit.QueryRateLimitConfiguration;
import io.timberdb.query.plan.QueryExecutor;
import io.timberdb.security.cors.ApiCorsConfiguration;
import io.timberdb.security.limits.ApiLimitsConfiguration;
import io.timberdb.standalone.local.LocalNode;
import io.timberdb.standalone.local.StandaloneProblems;
import io.timberdb.storage.shard.PartitionSettings;
import io.timberdb.storage.shard.RetentionPolicy;
import io.timberdb.storage.shard.ShardStore;
import io.timberdb.storage.shard.StoreOptions;
import io.timberdb.storage.shard.StorageProperties;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.validation.annotation.Validated;

/**
 * Standalone wiring: the components of every service, connected in-process through the same
 * interfaces the cluster connects over HTTP. The coordinator is a real single-voter SOFAJRaft
 * group (its log under {@code <data-dir>/coordinator}); the storage is the storage node's shard
 * store (under {@code <data-dir>/storage}); ingest and query call it directly as their
 * {@code ShardWriter} and {@code ShardReader}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NodeProperties.class, StorageProperties.class, QueryProperties.class,
        StandaloneConfiguration.StandaloneProperties.class})
@Import({MetadataApiConfiguration.class, PartitionController.class, ClusterController.class, NativeApiConfiguration.class,
        ElasticsearchApiConfiguration.class, LokiConfiguration.class, OtlpConfiguration.class, SyslogConfiguration.class,
        RateLimitConfiguration.class, QueryController.class, QueryRateLimitConfiguration.class, HealthController.class,
        StandaloneProblems.class, LocalNode.class, ApiCorsConfiguration.class, ApiLimitsConfiguration.class})
public class StandaloneConfiguration {

    /**
     * {@code timberdb.standalone.*}.
     *
     * @param shardCount the shards of each new partition (one node holds them all; more shards
     *        mean more WAL writers working in parallel)
     * @param raftPort the loopback port of the single Raft voter on first start (0: any free
     *        port); the chosen port is kept in the data directory
     */
    @Validated
    @ConfigurationProperties("timberdb.standalone")
    public record StandaloneProperties(@DefaultValue("1") @Min(1) int shardCount, @DefaultValue("0") @Min(0) int raftPort) {
    }

    @Bean
    InstantSource clock() {
        return InstantSource.system();
    }

    @Bean
    NodeIdentity nodeIdentity(NodeProperties node, InstantSource clock) {
        return new NodeIdentity(node.nodeId(), "standalone", NodeIdentity.buildVersion(), clock.instant());
    }

    @Bean(destroyMethod = "close")
    ShardStore shardStore(NodeProperties node, StorageProperties storage, ClusterViewSource view, InstantSource clock) {
        StoreOptions options = storage.storeOptions();
        ShardStore store = ShardStore.openInBackground(node.dataDir().resolve("storage"),
                options.withPartitions(PartitionSettings.fromClusterView(view, options.blocks().compression())));
        store.startRetention(RetentionPolicy.fromClusterView(view), clock, storage.retentionCheckInterval());
        return store;
    }

    @Bean(destroyMethod = "close")
    MetadataGroup metadataGroup(NodeProperties node, StandaloneProperties props,
                                @Value("${server.port}") int httpPort) throws IOException {
        MetadataGroup.useRpcLogDirectory(node.dataDir().resolve("logs"));
        return MetadataGroup.startSingle(node.nodeId(), node.dataDir().resolve("coordinator"),
                URI.create("http://127.0.0.1:" + httpPort), props.raftPort());
    }

    @Bean
    MetadataApiConfiguration.Settings metadataSettings(StandaloneProperties props) {
        return new MetadataApiConfiguration.Settings(props.shardCount(), Duration.ofSeconds(5));
    }

    @Bean
    EntryRouter entryRouter(ClusterViewSource view, ShardStore store, InstantSource clock) {
        return new EntryRouter(view, store, clock);
    }

    @Bean
    QueryExecutor queryExecutor(ClusterViewSource view, ShardStore store, InstantSource clock, QueryProperties limits,
                                MeterRegistry metrics) {
        return new QueryExecutor(view, store, clock, limits, metrics);
    }

    @Bean
    RunningQueries runningQueries(QueryProperties limits, InstantSource clock) {
        return new RunningQueries(limits, clock);
    }
}
