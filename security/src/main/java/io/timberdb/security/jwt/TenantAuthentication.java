package io.timberdb.security.jwt;

import java.util.Collection;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * An authenticated caller: the validated token, its scopes as {@code SCOPE_*} authorities, and
 * the value of its tenant claim ({@code timberdb.security.tenant-claim}).
 *
 * <p>Thread-safety: immutable once authenticated.
 */
public class TenantAuthentication extends JwtAuthenticationToken {

    private final String tenant;

    TenantAuthentication(Jwt jwt, Collection<? extends GrantedAuthority> authorities, String tenant) {
        super(jwt, authorities);
        this.tenant = tenant;
    }

    /** The tenant the token names, or null when it has no (string) tenant claim. */
    public String tenant() {
        return tenant;
    }
}
