package io.timberdb.gateway.route;

import io.timberdb.gateway.GatewayConfiguration.GatewayProperties;
import io.timberdb.model.web.ClusterCredential;
import java.net.ConnectException;
import java.util.List;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.GatewayFilterSpec;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Flux;

/**
 * The public API of a cluster, routed to the service that serves it:
 * <ul>
 *   <li>{@code POST /api/v1/partitions/{p}/logs}, {@code POST /loki/api/v1/push},
 *       {@code POST /v1/logs} (OTLP/HTTP) → ingest-service</li>
 *   <li>the Elasticsearch API: {@code /_bulk}, {@code /{index}/_bulk}, {@code GET /} and
 *       {@code GET /_license} → ingest-service</li>
 *   <li>{@code /api/v1/partitions/**}, {@code /api/v1/cluster} → any coordinator voter
 *       (round robin; a voter that refuses connections is skipped; followers forward writes)</li>
 *   <li>{@code /api/v1/query/**} → query-service</li>
 * </ul>
 * Anything else answers a 404 problem detail from the gateway itself. No route relays a client's
 * {@value ClusterCredential#HEADER} header: the cluster credential is for the cluster's own
 * processes, and through the gateway it would open the coordinators' cluster view to whoever
 * sent it.
 */
@Configuration(proxyBeanMethods = false)
public class PublicRoutes {

    static final String COORDINATOR = "coordinator";

    @Bean
    RouteLocator routeLocator(RouteLocatorBuilder routes, GatewayProperties props) {
        return routes.routes()
                .route("ingest", r -> r.order(0).path("/api/v1/partitions/*/logs", "/loki/api/v1/push", "/v1/logs")
                        .filters(PublicRoutes::withoutClusterCredential).uri(props.ingestUrl()))
                .route("elasticsearch", r -> r.order(0).path("/_bulk", "/*/_bulk", "/", "/_license")
                        .filters(PublicRoutes::withoutClusterCredential).uri(props.ingestUrl()))
                .route("partitions", r -> r.order(1).path("/api/v1/partitions", "/api/v1/partitions/**", "/api/v1/cluster")
                        .filters(f -> withoutClusterCredential(f).retry(retry -> retry.setRetries(props.coordinators().size())
                                .setMethods(HttpMethod.GET, HttpMethod.POST)
                                .setSeries()
                                .setExceptions(ConnectException.class)))
                        .uri("lb://" + COORDINATOR))
                .route("query", r -> r.order(2).path("/api/v1/query/**")
                        .filters(PublicRoutes::withoutClusterCredential).uri(props.queryUrl()))
                .build();
    }

    private static GatewayFilterSpec withoutClusterCredential(GatewayFilterSpec filters) {
        return filters.removeRequestHeader(ClusterCredential.HEADER);
    }

    /** The coordinator voters as load-balancer instances, from {@code timberdb.gateway.coordinators}. */
    @Bean
    ReactiveDiscoveryClient coordinatorInstances(GatewayProperties props) {
        List<ServiceInstance> instances = props.coordinators().stream()
                .map(uri -> (ServiceInstance) new DefaultServiceInstance(COORDINATOR + "-" + uri.getPort(), COORDINATOR,
                        uri.getHost(), uri.getPort(), "https".equals(uri.getScheme())))
                .toList();
        return new ReactiveDiscoveryClient() {
            @Override
            public String description() {
                return "TimberDB coordinator voters from timberdb.gateway.coordinators";
            }

            @Override
            public Flux<ServiceInstance> getInstances(String serviceId) {
                return COORDINATOR.equals(serviceId) ? Flux.fromIterable(instances) : Flux.empty();
            }

            @Override
            public Flux<String> getServices() {
                return Flux.just(COORDINATOR);
            }
        };
    }
}
