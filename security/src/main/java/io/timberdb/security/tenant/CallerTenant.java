package io.timberdb.security.tenant;

import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.error.TimberException;
import io.timberdb.security.jwt.TenantAuthentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * The tenant of the caller of the current request: whose partitions it sees, writes and queries.
 * Read it inside the request's reactive chain (a controller's returned {@code Mono}).
 *
 * <ul>
 *   <li>Authentication on ({@code jwt}, {@code local}): the value of the token's tenant claim
 *       ({@code timberdb.security.tenant-claim}, default {@code tenant}); a token without a string
 *       claim is tenant {@value Partition#DEFAULT_TENANT}. The {@value #HEADER} header is ignored:
 *       a caller cannot pick another tenant.</li>
 *   <li>Authentication off: the {@value #HEADER} header (Loki's and Mimir's tenant header, put in
 *       the context by {@link TenantHeaderFilter}), else {@value Partition#DEFAULT_TENANT}. Off is
 *       for a trusted network: the header separates namespaces, it does not protect them.</li>
 * </ul>
 *
 * <p>Never empty. A header that is not a tenant name fails with {@code INVALID_FIELD} (field
 * {@value #HEADER}). Thread-safety: stateless.
 */
public final class CallerTenant {

    /** The request header that names the tenant when authentication is off. */
    public static final String HEADER = "X-Scope-OrgID";

    /** The Reactor context key of the header's value (authentication off). */
    static final String HEADER_KEY = CallerTenant.class.getName() + ".header";

    private CallerTenant() {
    }

    /** The caller's tenant. */
    public static Mono<String> current() {
        return authenticated()
                .switchIfEmpty(Mono.deferContextual(context -> Mono.just(fromHeader(context.getOrDefault(HEADER_KEY, null)))));
    }

    /**
     * The tenant of the caller's bearer token (as {@link #current}), or empty when the request
     * carries none: for code that has its own rule for callers without a token.
     */
    public static Mono<String> authenticated() {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .ofType(TenantAuthentication.class)
                .map(caller -> caller.tenant() == null ? Partition.DEFAULT_TENANT : caller.tenant());
    }

    /** A context in which a caller without a token belongs to the tenant the header named. */
    public static Context withHeader(Context context, String header) {
        return header == null ? context : context.put(HEADER_KEY, header);
    }

    private static String fromHeader(String header) {
        if (header == null) {
            return Partition.DEFAULT_TENANT;
        }
        if (!CreatePartitionRequest.NAME.matcher(header).matches()) {
            throw TimberException.invalidField(HEADER,
                    "must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return header;
    }
}
