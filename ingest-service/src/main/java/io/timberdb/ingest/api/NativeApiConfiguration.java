package io.timberdb.ingest.api;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The native write API, imported by the ingest service and by the standalone process alike (both
 * provide the {@code EntryRouter} it writes through).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NativeApiProperties.class)
@Import(LogsController.class)
public class NativeApiConfiguration {
}
