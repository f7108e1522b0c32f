package io.timberdb.ingest.elastic;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.server.WebFilter;

/**
 * The Elasticsearch-compatible write API ({@code /_bulk}, {@code /{index}/_bulk}, {@code GET /},
 * {@code GET /_license}), imported by the ingest service and the standalone. It needs the beans
 * of the native write path: an {@code EntryRouter}, a {@code ClusterViewSource}, a
 * {@code NodeIdentity} and an {@code InstantSource}; a {@code PartitionCatalog} (the standalone)
 * or else a {@code CoordinatorClient} (a cluster's ingest service) lets it create the partitions
 * that bulk requests name ({@code auto-create-partitions}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ElasticsearchProperties.class)
@Import({BulkController.class, ProbeController.class})
public class ElasticsearchApiConfiguration {

    @Bean
    WebFilter elasticProductHeader() {
        return new ElasticProductHeader();
    }
}
