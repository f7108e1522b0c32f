package io.timberdb.storage;

import io.timberdb.model.client.CoordinatorClient;
import io.timberdb.model.client.HttpClusterViewSource;
import io.timberdb.model.config.NodeProperties;
import io.timberdb.model.web.ClusterCredential;
import io.timberdb.model.web.InternalTls;
import io.timberdb.model.web.ClusterCredentialConfiguration;
import io.timberdb.model.web.HealthController;
import io.timberdb.model.web.HealthDetails;
import io.timberdb.model.web.NodeIdentity;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.storage.cluster.NodeRegistration;
import io.timberdb.storage.replication.ReplicaManager;
import io.timberdb.storage.replication.ReplicationProperties;
import io.timberdb.storage.shard.PartitionSettings;
import io.timberdb.storage.shard.RetentionPolicy;
import io.timberdb.storage.shard.ShardStore;
import io.timberdb.storage.shard.StorageProperties;
import io.timberdb.storage.shard.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The storage node's beans: the {@link ShardStore} in {@code timberdb.data-dir}, the coordinator
 * client and the {@link NodeRegistration} heartbeat, and the shared {@code GET /health}.
 * The shard API controller and its problem-detail advice are found by component scanning.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NodeProperties.class, StorageProperties.class, ReplicationProperties.class})
@Import({HealthController.class, ClusterCredentialConfiguration.class})
public class StorageNodeConfiguration {

    @Bean
    InstantSource clock() {
        return InstantSource.system();
    }

    @Bean
    NodeIdentity nodeIdentity(NodeProperties node, InstantSource clock) {
        return new NodeIdentity(node.nodeId(), "storage", NodeIdentity.buildVersion(), clock.instant());
    }

    @Bean(destroyMethod = "close")
    ShardStore shardStore(NodeProperties node, StorageProperties storage, HttpClusterViewSource view, InstantSource clock) {
        StoreOptions options = storage.storeOptions();
        ShardStore store = ShardStore.openInBackground(node.dataDir(),
                options.withPartitions(PartitionSettings.fromClusterView(view, options.blocks().compression())));
        store.startRetention(RetentionPolicy.fromClusterView(view), clock, storage.retentionCheckInterval());
        return store;
    }

    @Bean
    CoordinatorClient coordinatorClient(WebClient.Builder webClient, NodeProperties node, ClusterCredential credential,
                                        InternalTls tls) {
        // registration, heartbeats and the view watch all present the cluster credential, over the internal TLS
        return new CoordinatorClient(credential.applyTo(tls.applyTo(webClient)), node.coordinators());
    }

    /** The cluster view, for each partition's compression. */
    @Bean(destroyMethod = "close")
    HttpClusterViewSource clusterView(CoordinatorClient coordinators, NodeProperties node) {
        return new HttpClusterViewSource(coordinators, node.viewRefresh());
    }

    @Bean(destroyMethod = "close")
    NodeRegistration nodeRegistration(CoordinatorClient coordinators, NodeProperties node, StorageProperties storage,
            ShardStore store) {
        return new NodeRegistration(coordinators, node.nodeId(), storage.zone(), () -> capacityOf(node.dataDir()),
                store::shardBytes, storage.heartbeatInterval());
    }

    /** The size of the file system holding {@code dataDir}, or null when it cannot be read (yet). */
    static Long capacityOf(Path dataDir) {
        try {
            return Files.getFileStore(Files.exists(dataDir) ? dataDir : dataDir.toAbsolutePath().getParent()).getTotalSpace();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The roles of this node's shard replicas (leader or follower, at the view's epoch): the shard
     * API appends through it, so that only a shard's leader takes writes, and only committed ones
     * are acknowledged. ISR changes go to the coordinator.
     */
    @Bean(destroyMethod = "close")
    @Primary
    ReplicaManager replicaManager(NodeProperties node, ShardStore store, ClusterViewSource view,
                                  CoordinatorClient coordinators, ReplicationProperties replication,
                                  ClusterCredential credential, InternalTls tls,
                                  io.micrometer.core.instrument.MeterRegistry meters) {
        ReplicaManager manager = new ReplicaManager(node.nodeId(), store, view,
                (shard, leader, epoch, isr, newIsr) -> coordinators
                        .alterIsr(shard.partition(), shard.shard(), leader, epoch, isr, newIsr)
                        .map(partition -> true)
                        .onErrorReturn(false)
                        .toFuture(),
                credential, tls, replication);
        manager.bindTo(meters);
        manager.start();
        return manager;
    }

    /** Starts registering once the main HTTP server listens, so that the advertised port is the bound one. */
    @Bean
    ApplicationListener<WebServerInitializedEvent> registerWhenListening(NodeRegistration registration,
                                                                       StorageProperties storage, Environment env) {
        return event -> {
            if (event.getApplicationContext().getServerNamespace() != null) {
                return; // a separate management server, not the API
            }
            String address = storage.advertisedAddress() != null ? storage.advertisedAddress()
                    : (servesTls(env) ? "https" : "http") + "://127.0.0.1:" + event.getWebServer().getPort();
            registration.start(address);
        };
    }

    /** Whether the API port serves HTTPS (Boot's {@code server.ssl.*}), for the default advertised address. */
    static boolean servesTls(Environment env) {
        if (!env.getProperty("server.ssl.enabled", Boolean.class, true)) {
            return false;
        }
        return env.containsProperty("server.ssl.bundle") || env.containsProperty("server.ssl.key-store")
                || env.containsProperty("server.ssl.certificate");
    }

    /**
     * {@code details} of {@code GET /health}: shards, entries, data dir, registration; DOWN while a
     * shard is offline or still replaying its WAL after a start.
     */
    @Bean
    HealthDetails storageHealth(ShardStore store, NodeRegistration registration, ReplicaManager replicas) {
        return () -> Mono.fromSupplier(() -> {
            ShardStore.Stats stats = store.stats();
            Map<String, Object> details = new LinkedHashMap<>();
            if (!stats.shardsOffline().isEmpty() || stats.shardsOpening() > 0) {
                details.put("status", "DOWN");
            }
            details.put("shards_opening", stats.shardsOpening());
            details.put("shards_open", stats.shardsOpen());
            details.put("shards_offline", stats.shardsOffline());
            details.put("entries", stats.entries());
            details.put("blocks", stats.blocks());
            details.put("quarantined_blocks", stats.quarantinedBlocks());
            details.put("data_dir", store.dataDir().toString());
            details.put("registered", registration.registered() ? "yes" : "no");
            details.put("advertised_address", registration.address());
            details.put("replicas", replicas.roles());
            return details;
        });
    }
}
