package io.timberdb.ingest.limit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.limit.ThrottleMetrics;
import java.time.InstantSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.WebFilter;

/**
 * The per-tenant ingestion rate limits ({@code timberdb.ingest.rate-limit.*},
 * {@link RateLimitProperties}) on every ingest route, imported by the ingest service and the
 * standalone alike. It needs a {@code ClusterViewSource}, an {@code InstantSource} and a
 * {@code MeterRegistry}; it makes the request-claimed {@link TenantResolver} unless the context
 * already has one (the authentication work is to supply it).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitConfiguration {

    @Bean
    @ConditionalOnMissingBean(TenantResolver.class)
    TenantResolver tenantResolver(ClusterViewSource cluster) {
        return new PartitionTenantResolver(cluster);
    }

    @Bean
    WebFilter ingestRateLimit(RateLimitProperties props, TenantResolver tenants, InstantSource clock,
                              ObjectProvider<MeterRegistry> registry,
                              ObjectProvider<RequestMappingHandlerMapping> mappings) {
        MeterRegistry meters = registry.getIfAvailable(SimpleMeterRegistry::new);
        return new RateLimitFilter(props, RateLimitFilter.buckets(props, clock), tenants,
                new ThrottleMetrics(meters, RateLimitFilter.THROTTLED, "Ingest requests refused by the per-tenant rate limiter",
                        props.maxTenantTags()), () -> mappings.orderedStream().toList());
    }
}
