package io.timberdb.storage;

import io.timberdb.model.client.CoordinatorClient;
import io.timberdb.model.config.NodeProperties;
import io.timberdb.model.web.HealthController;
import io.timberdb.model.web.HealthDetails;
import io.timberdb.model.web.NodeIdentity;
import io.timberdb.storage.cluster.NodeRegistration;
import io.timberdb.storage.shard.ShardStore;
import io.timberdb.storage.wal.FsyncPolicy;
import io.timberdb.storage.wal.WalOptions;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The storage node's beans: the {@link ShardStore} in {@code timberdb.data-dir}, the coordinator
 * client and the {@link NodeRegistration} heartbeat, and the shared {@code GET /health}.
 * The shard API controller and its problem-detail advice are found by component scanning.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NodeProperties.class, StorageNodeConfiguration.StorageProperties.class})
@Import(HealthController.class)
public class StorageNodeConfiguration {

    /**
     * The storage node's settings ({@code timberdb.storage.*}, e.g. {@code TIMBERDB_STORAGE_QUEUE_CAPACITY}).
     *
     * @param advertisedAddress the base URL other services reach this node at; when unset,
     *        {@code http://127.0.0.1:<the HTTP port actually bound>}
     * @param fsyncPolicy when the WAL forces to disk; {@code per-batch} unless testing
     * @param queueCapacity batches waiting per shard before appends are refused as busy (503)
     * @param segmentSize the size at which a shard's WAL rolls to a new segment file
     * @param heartbeatInterval how often the node re-registers with the coordinators
     */
    @Validated
    @ConfigurationProperties("timberdb.storage")
    public record StorageProperties(
            @Pattern(regexp = "https?://.+", message = "must be an http(s) URL") String advertisedAddress,
            @DefaultValue("per-batch") @NotNull FsyncPolicy fsyncPolicy,
            @DefaultValue("1024") @Min(1) int queueCapacity,
            @DefaultValue("64MB") @NotNull DataSize segmentSize,
            @DefaultValue("5s") @NotNull Duration heartbeatInterval) {

        public StorageProperties {
            if (segmentSize != null && segmentSize.toBytes() < DataSize.ofKilobytes(4).toBytes()) {
                throw new IllegalArgumentException("timberdb.storage.segment-size must be at least 4KB, was " + segmentSize);
            }
            if (heartbeatInterval != null && (heartbeatInterval.isZero() || heartbeatInterval.isNegative())) {
                throw new IllegalArgumentException("timberdb.storage.heartbeat-interval must be positive");
            }
        }

        /** The WAL options these settings describe. */
        public WalOptions walOptions() {
            return new WalOptions(fsyncPolicy, queueCapacity, segmentSize.toBytes());
        }
    }

    @Bean
    InstantSource clock() {
        return InstantSource.system();
    }

    @Bean
    NodeIdentity nodeIdentity(NodeProperties node, InstantSource clock) {
        return new NodeIdentity(node.nodeId(), "storage", NodeIdentity.buildVersion(), clock.instant());
    }

    @Bean(destroyMethod = "close")
    ShardStore shardStore(NodeProperties node, StorageProperties storage) {
        return new ShardStore(node.dataDir(), storage.walOptions());
    }

    @Bean
    CoordinatorClient coordinatorClient(WebClient.Builder webClient, NodeProperties node) {
        return new CoordinatorClient(webClient, node.coordinators());
    }

    @Bean(destroyMethod = "close")
    NodeRegistration nodeRegistration(CoordinatorClient coordinators, NodeProperties node, StorageProperties storage) {
        return new NodeRegistration(coordinators, node.nodeId(), storage.heartbeatInterval());
    }

    /** Starts registering once the main HTTP server listens, so that the advertised port is the bound one. */
    @Bean
    ApplicationListener<WebServerInitializedEvent> registerWhenListening(NodeRegistration registration,
                                                                       StorageProperties storage) {
        return event -> {
            if (event.getApplicationContext().getServerNamespace() != null) {
                return; // a separate management server, not the API
            }
            String address = storage.advertisedAddress() != null ? storage.advertisedAddress()
                    : "http://127.0.0.1:" + event.getWebServer().getPort();
            registration.start(address);
        };
    }

    /** {@code details} of {@code GET /health}: shards, entries, data dir, registration; DOWN while a shard is offline. */
    @Bean
    HealthDetails storageHealth(ShardStore store, NodeRegistration registration) {
        return () -> Mono.fromSupplier(() -> {
            ShardStore.Stats stats = store.stats();
            Map<String, Object> details = new LinkedHashMap<>();
            if (!stats.shardsOffline().isEmpty()) {
                details.put("status", "DOWN");
            }
            details.put("shards_open", stats.shardsOpen());
            details.put("shards_offline", stats.shardsOffline());
            details.put("entries", stats.entries());
            details.put("data_dir", store.dataDir().toString());
            details.put("registered", registration.registered() ? "yes" : "no");
            details.put("advertised_address", registration.address());
            return details;
        });
    }
}
