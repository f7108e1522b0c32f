package io.timberdb.ingest;

import io.timberdb.ingest.api.IngestProblems;
import io.timberdb.ingest.api.LogsController;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.ingest.route.HttpShardWriter;
import io.timberdb.model.client.CoordinatorClient;
import io.timberdb.model.client.HttpClusterViewSource;
import io.timberdb.model.config.NodeProperties;
import io.timberdb.model.web.HealthController;
import io.timberdb.model.web.HealthDetails;
import io.timberdb.model.web.NodeIdentity;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** Wires the ingest service of a cluster: the write API over the coordinators' view and HTTP shard writers. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NodeProperties.class, IngestServiceConfiguration.IngestProperties.class})
@Import({LogsController.class, IngestProblems.class, HealthController.class})
public class IngestServiceConfiguration {

    /**
     * {@code timberdb.ingest.*}.
     *
     * @param viewRefresh how often the cached cluster view is refreshed
     * @param writeTimeout how long a storage node may take to acknowledge a batch
     */
    @Validated
    @ConfigurationProperties("timberdb.ingest")
    public record IngestProperties(@DefaultValue("1s") Duration viewRefresh, @DefaultValue("30s") Duration writeTimeout) {
    }

    @Bean
    InstantSource clock() {
        return InstantSource.system();
    }

    @Bean
    NodeIdentity nodeIdentity(NodeProperties node, InstantSource clock) {
        return new NodeIdentity(node.nodeId(), "ingest", NodeIdentity.buildVersion(), clock.instant());
    }

    @Bean(destroyMethod = "close")
    HttpClusterViewSource clusterView(WebClient.Builder builder, NodeProperties node, IngestProperties props) {
        return new HttpClusterViewSource(new CoordinatorClient(builder, node.coordinators()), props.viewRefresh());
    }

    @Bean
    EntryRouter entryRouter(WebClient.Builder builder, HttpClusterViewSource view, IngestProperties props, InstantSource clock) {
        return new EntryRouter(view, new HttpShardWriter(builder, view, props.writeTimeout()), clock);
    }

    @Bean
    HealthDetails clusterViewHealth(HttpClusterViewSource view) {
        return () -> Mono.fromSupplier(() -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("cluster_view_version", view.current().version());
            details.put("coordinator_leader", view.current().coordinator().leader());
            details.put("partitions", view.current().partitions().size());
            return details;
        });
    }
}
