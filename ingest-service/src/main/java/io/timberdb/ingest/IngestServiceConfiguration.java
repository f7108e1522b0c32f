package io.timberdb.ingest;

import io.timberdb.ingest.api.IngestProblems;
import io.timberdb.ingest.api.NativeApiConfiguration;
import io.timberdb.ingest.elastic.ElasticsearchApiConfiguration;
import io.timberdb.ingest.limit.RateLimitConfiguration;
import io.timberdb.ingest.loki.LokiConfiguration;
import io.timberdb.ingest.otlp.OtlpConfiguration;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.ingest.route.HttpShardWriter;
import io.timberdb.ingest.syslog.SyslogConfiguration;
import io.timberdb.model.client.ClusterClientConfiguration;
import io.timberdb.model.client.HttpClusterViewSource;
import io.timberdb.model.config.NodeProperties;
import io.timberdb.model.web.HealthController;
import io.timberdb.model.web.NodeIdentity;
import java.time.Duration;
import java.time.InstantSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Wires the ingest service of a cluster: the write APIs (native, Elasticsearch bulk, Loki push, OTLP/HTTP logs and
 * syslog over TCP and UDP) over the coordinators' view and HTTP shard writers, limited per tenant
 * ({@link RateLimitConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestServiceConfiguration.IngestProperties.class)
@Import({ClusterClientConfiguration.class, NativeApiConfiguration.class, ElasticsearchApiConfiguration.class,
        LokiConfiguration.class, OtlpConfiguration.class, SyslogConfiguration.class, RateLimitConfiguration.class,
        IngestProblems.class, HealthController.class})
public class IngestServiceConfiguration {

    /**
     * {@code timberdb.ingest.*}.
     *
     * @param writeTimeout how long a storage node may take to acknowledge a batch
     */
    @Validated
    @ConfigurationProperties("timberdb.ingest")
    public record IngestProperties(@DefaultValue("30s") Duration writeTimeout) {
    }

    @Bean
    NodeIdentity nodeIdentity(NodeProperties node, InstantSource clock) {
        return new NodeIdentity(node.nodeId(), "ingest", NodeIdentity.buildVersion(), clock.instant());
    }

    @Bean
    EntryRouter entryRouter(WebClient.Builder builder, HttpClusterViewSource view, IngestProperties props, InstantSource clock) {
        return new EntryRouter(view, new HttpShardWriter(builder, view, props.writeTimeout()), clock);
    }
}
