package io.timberdb.ingest.limit;

import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Names the tenant an ingest request belongs to, for its rate limits (and, later, its access).
 *
 * <p>{@link PartitionTenantResolver} takes it from the bearer token's tenant claim; with
 * authentication off the request claims it ({@code X-Scope-OrgID}, else the target partition's
 * tenant, else {@code default}), so a client can pick another tenant's budget. A context may
 * declare its own bean of this type: the rate-limit configuration only makes one when there is none.
 */
public interface TenantResolver {

    /**
     * The tenant of {@code exchange}; never empty.
     *
     * @param partition the id or name of the partition the request names as its target (path or
     *        header), or null when it names none
     */
    Mono<String> tenant(ServerWebExchange exchange, String partition);
}
