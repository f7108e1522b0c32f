package io.timberdb.security.limits;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers {@link ApiLimitsFilter}. Not auto-configured: imported, as the CORS filter is, by the
 * processes that serve the public API (the gateway and the standalone).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiLimitsProperties.class)
public class ApiLimitsConfiguration {

    @Bean
    ApiLimitsFilter apiLimitsFilter(ApiLimitsProperties props, MeterRegistry metrics) {
        return new ApiLimitsFilter(props, metrics);
    }
}
