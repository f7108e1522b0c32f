package io.timberdb.auth.token;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A client-credentials request without {@code scope} gets every scope its client is registered
 * with (RFC 6749 §3.3 leaves the default to the server; Spring Authorization Server's is none,
 * which would give a token no route of the cluster accepts). Requests naming scopes are left to
 * the grant's own checks.
 *
 * <p>Thread-safety: stateless around the delegate.
 */
public final class DefaultScopes implements AuthenticationConverter {

    private final AuthenticationConverter delegate;

    public DefaultScopes(AuthenticationConverter delegate) {
        this.delegate = delegate;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        Authentication converted = delegate.convert(request);
        if (converted instanceof OAuth2ClientCredentialsAuthenticationToken grant && grant.getScopes().isEmpty()
                && grant.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                && client.getRegisteredClient() != null) {
            return new OAuth2ClientCredentialsAuthenticationToken(client, client.getRegisteredClient().getScopes(),
                    grant.getAdditionalParameters());
        }
        return converted;
    }
}
