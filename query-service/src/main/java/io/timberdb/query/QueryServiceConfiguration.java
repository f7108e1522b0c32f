package io.timberdb.query;

import io.timberdb.model.client.CoordinatorClient;
import io.timberdb.model.client.HttpClusterViewSource;
import io.timberdb.model.config.NodeProperties;
import io.timberdb.model.web.HealthController;
import io.timberdb.model.web.HealthDetails;
import io.timberdb.model.web.NodeIdentity;
import io.timberdb.query.api.QueryController;
import io.timberdb.query.api.QueryProblems;
import io.timberdb.query.fanout.HttpShardReader;
import io.timberdb.query.plan.QueryExecutor;
import java.time.Duration;
import java.time.InstantSource;
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

/** Wires the query service of a cluster: the query API over the coordinators' view and HTTP shard readers. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NodeProperties.class, QueryServiceConfiguration.QueryProperties.class})
@Import({QueryController.class, QueryProblems.class, HealthController.class})
public class QueryServiceConfiguration {

    /**
     * {@code timberdb.query.*}.
     *
     * @param viewRefresh how often the cached cluster view is refreshed
     */
    @Validated
    @ConfigurationProperties("timberdb.query")
    public record QueryProperties(@DefaultValue("1s") Duration viewRefresh) {
    }

    @Bean
    InstantSource clock() {
        return InstantSource.system();
    }

    @Bean
    NodeIdentity nodeIdentity(NodeProperties node, InstantSource clock) {
        return new NodeIdentity(node.nodeId(), "query", NodeIdentity.buildVersion(), clock.instant());
    }

    @Bean(destroyMethod = "close")
    HttpClusterViewSource clusterView(WebClient.Builder builder, NodeProperties node, QueryProperties props) {
        return new HttpClusterViewSource(new CoordinatorClient(builder, node.coordinators()), props.viewRefresh());
    }

    @Bean
    QueryExecutor queryExecutor(WebClient.Builder builder, HttpClusterViewSource view, InstantSource clock) {
        return new QueryExecutor(view, new HttpShardReader(builder, view), clock);
    }

    @Bean
    HealthDetails clusterViewHealth(HttpClusterViewSource view) {
        return () -> Mono.fromSupplier(() -> Map.of(
                "cluster_view_version", view.current().version(),
                "partitions", view.current().partitions().size()));
    }
}
