package io.timberdb.ingest.loki;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The Loki push route, imported by the ingest service and by the standalone process alike (both
 * provide the {@code EntryRouter} and {@code ClusterViewSource} it writes through).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LokiProperties.class)
@Import(LokiPushController.class)
public class LokiConfiguration {
}
