package io.timberdb.gateway;

import io.timberdb.gateway.health.ClusterHealth;
import io.timberdb.gateway.route.GatewayProblems;
import io.timberdb.gateway.route.PublicRoutes;
import io.timberdb.model.config.NodeProperties;
import io.timberdb.model.web.HealthController;
import io.timberdb.model.web.InternalTlsConfiguration;
import io.timberdb.model.web.NodeIdentity;
import io.timberdb.security.cors.ApiCorsConfiguration;
import io.timberdb.security.limits.ApiLimitsConfiguration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.validation.annotation.Validated;

/** Wires the gateway: the public routes, its problem details and its aggregated {@code /health}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({NodeProperties.class, GatewayConfiguration.GatewayProperties.class})
@Import({PublicRoutes.class, GatewayProblems.class, ClusterHealth.class, HealthController.class,
        ApiCorsConfiguration.class, ApiLimitsConfiguration.class, InternalTlsConfiguration.class})
public class GatewayConfiguration {

    /**
     * {@code timberdb.gateway.*}: where the services behind the gateway listen.
     *
     * @param coordinators the coordinator voters' base URLs; partition routes go to any of them
     * @param ingestUrl the ingest service's base URL
     * @param queryUrl the query service's base URL
     */
    @Validated
    @ConfigurationProperties("timberdb.gateway")
    public record GatewayProperties(@NotEmpty List<URI> coordinators, @NotNull URI ingestUrl, @NotNull URI queryUrl) {
    }

    @Bean
    InstantSource clock() {
        return InstantSource.system();
    }

    @Bean
    NodeIdentity nodeIdentity(NodeProperties node, InstantSource clock) {
        return new NodeIdentity(node.nodeId(), "gateway", NodeIdentity.buildVersion(), clock.instant());
    }
}
