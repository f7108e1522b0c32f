package io.timberdb.query;

import io.micrometer.core.instrument.MeterRegistry;
import io.timberdb.model.client.ClusterClientConfiguration;
import io.timberdb.model.client.HttpClusterViewSource;
import io.timberdb.model.config.NodeProperties;
import io.timberdb.model.web.ClusterCredential;
import io.timberdb.model.web.InternalTls;
import io.timberdb.model.web.HealthController;
import io.timberdb.model.web.NodeIdentity;
import io.timberdb.query.api.QueryController;
import io.timberdb.query.api.QueryProblems;
import io.timberdb.query.control.QueryProperties;
import io.timberdb.query.control.RunningQueries;
import io.timberdb.query.fanout.HttpShardReader;
import io.timberdb.query.limit.QueryRateLimitConfiguration;
import io.timberdb.query.plan.QueryExecutor;
import java.time.InstantSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.function.client.WebClient;

/** Wires the query service of a cluster: the query API over the coordinators' view and HTTP shard readers. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueryProperties.class)
@Import({ClusterClientConfiguration.class, QueryController.class, QueryProblems.class, HealthController.class,
        QueryRateLimitConfiguration.class})
public class QueryServiceConfiguration {

    @Bean
    NodeIdentity nodeIdentity(NodeProperties node, InstantSource clock) {
        return new NodeIdentity(node.nodeId(), "query", NodeIdentity.buildVersion(), clock.instant());
    }

    @Bean
    QueryExecutor queryExecutor(WebClient.Builder builder, HttpClusterViewSource view, InstantSource clock,
            QueryProperties limits, MeterRegistry metrics, ClusterCredential credential,
            InternalTls tls) {
        return new QueryExecutor(view, new HttpShardReader(credential.applyTo(tls.applyTo(builder)), view,
                Math.toIntExact(limits.maxMemoryPerQuery().toBytes())), clock, limits, metrics);
    }

    @Bean
    RunningQueries runningQueries(QueryProperties limits, InstantSource clock) {
        return new RunningQueries(limits, clock);
    }
}
