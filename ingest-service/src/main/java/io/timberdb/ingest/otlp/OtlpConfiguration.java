package io.timberdb.ingest.otlp;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The OTLP/HTTP logs route, imported by the ingest service and by the standalone process alike
 * (both provide the {@code EntryRouter} and {@code ClusterViewSource} it writes through).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OtlpProperties.class)
@Import(OtlpLogsController.class)
public class OtlpConfiguration {
}
