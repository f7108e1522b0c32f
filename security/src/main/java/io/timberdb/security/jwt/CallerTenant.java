package io.timberdb.security.jwt;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import reactor.core.publisher.Mono;

/**
 * The tenant of the caller of the current request, for the tenant isolation of TDB-07 part 2:
 * the value of the token's tenant claim ({@code timberdb.security.tenant-claim}, default
 * {@code tenant}). Read it inside the request's reactive chain (a controller's returned
 * {@code Mono}), where Spring Security put the caller in the Reactor context.
 *
 * <p>Empty when authentication is off, the route is open or internal, or the token names no
 * tenant. Nothing uses it yet: this part only authenticates and checks scopes.
 */
public final class CallerTenant {

    private CallerTenant() {
    }

    /** The caller's tenant, or empty. */
    public static Mono<String> current() {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .ofType(TenantAuthentication.class)
                .mapNotNull(TenantAuthentication::tenant);
    }
}
