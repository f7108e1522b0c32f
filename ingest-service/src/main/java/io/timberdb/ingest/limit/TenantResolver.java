package io.timberdb.ingest.limit;

import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Names the tenant an ingest request belongs to, for its rate limits (and, later, its access).
 *
 * <p>Until authentication exists the tenant is claimed by the request itself
 * ({@link PartitionTenantResolver}: {@code X-Scope-OrgID}, else the target partition's tenant, else
 * {@code default}), so a client can pick another tenant's budget. The OAuth2/JWT work (issue
 * TDB-07) is to replace that bean with one that reads the tenant from the token's claim, declared
 * as a bean of this type: the rate-limit configuration only makes its own when there is none.
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
