package io.timberdb.ingest.limit;

import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.security.tenant.CallerTenant;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The tenant of an ingest request (see {@link TenantResolver}): with a bearer token, the token's
 * tenant claim, whatever the request says; without one (authentication off), the tenant the request
 * claims: its {@code X-Scope-OrgID} header (the Loki convention) when present, else the tenant of
 * the partition it targets when that partition is in the held cluster view, else {@code default}.
 * It never refreshes the view: an unknown partition is refused by the route itself.
 *
 * <p>Thread-safe: stateless apart from the view source, which is thread-safe.
 */
final class PartitionTenantResolver implements TenantResolver {

    private final ClusterViewSource cluster;

    PartitionTenantResolver(ClusterViewSource cluster) {
        this.cluster = cluster;
    }

    @Override
    public Mono<String> tenant(ServerWebExchange exchange, String partition) {
        return CallerTenant.authenticated().switchIfEmpty(Mono.fromSupplier(() -> claimed(exchange, partition)));
    }

    /** The tenant a request without a token claims. */
    private String claimed(ServerWebExchange exchange, String partition) {
        String header = exchange.getRequest().getHeaders().getFirst(CallerTenant.HEADER);
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        String tenant = partition == null ? null
                : cluster.current().partition(partition).map(Partition::tenant).orElse(null);
        return tenant == null || tenant.isBlank() ? Partition.DEFAULT_TENANT : tenant;
    }
}
