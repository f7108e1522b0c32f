package io.timberdb.model.client;

import io.timberdb.model.config.NodeProperties;
import io.timberdb.model.web.ClusterCredential;
import io.timberdb.model.web.ClusterCredentialConfiguration;
import io.timberdb.model.web.HealthDetails;
import io.timberdb.model.web.InternalTls;
import java.time.InstantSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * What a cluster service that works from the coordinators' view needs (ingest, query): the
 * {@link CoordinatorClient}, the cached {@link HttpClusterViewSource} over it, its part of
 * {@code /health}, and a clock. Imported by
 * those services' configurations; the standalone reads the view in-process instead. Its
 * coordinator client sends the {@link ClusterCredential} over the {@link InternalTls}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NodeProperties.class)
@Import(ClusterCredentialConfiguration.class)
public class ClusterClientConfiguration {

    @Bean
    InstantSource clock() {
        return InstantSource.system();
    }

    @Bean
    CoordinatorClient coordinatorClient(WebClient.Builder builder, NodeProperties node, ClusterCredential credential,
                                        InternalTls tls) {
        return new CoordinatorClient(credential.applyTo(tls.applyTo(builder)), node.coordinators());
    }

    @Bean(destroyMethod = "close")
    HttpClusterViewSource clusterView(CoordinatorClient coordinators, NodeProperties node) {
        return new HttpClusterViewSource(coordinators, node.viewRefresh());
    }

    @Bean
    HealthDetails clusterViewHealth(HttpClusterViewSource view) {
        return view.health();
    }
}
