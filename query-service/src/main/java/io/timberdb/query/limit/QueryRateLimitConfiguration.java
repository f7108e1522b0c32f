package io.timberdb.query.limit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.timberdb.model.limit.ThrottleMetrics;
import java.time.InstantSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.WebFilter;

/**
 * The per-tenant request rate of the query routes ({@code timberdb.query.rate-limit.*},
 * {@link QueryRateLimitProperties}), imported by the query service and the standalone alike. It
 * needs an {@code InstantSource}, and counts refusals in the context's {@code MeterRegistry}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueryRateLimitProperties.class)
public class QueryRateLimitConfiguration {

    @Bean
    WebFilter queryRateLimit(QueryRateLimitProperties props, InstantSource clock, ObjectProvider<MeterRegistry> registry,
                             ObjectProvider<RequestMappingHandlerMapping> mappings) {
        MeterRegistry meters = registry.getIfAvailable(SimpleMeterRegistry::new);
        return new QueryRateLimitFilter(props, clock, new ThrottleMetrics(meters, QueryRateLimitFilter.THROTTLED,
                "Query requests refused by the per-tenant rate limiter", props.maxTenantTags()),
                () -> mappings.orderedStream().toList());
    }
}
