package io.timberdb.auth.token;

import io.timberdb.auth.config.AuthServerProperties;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * What the cluster's resource servers read in an access token besides its scopes: the audience
 * ({@code aud}, replacing Spring Authorization Server's default, the client id) and the client's
 * tenant under the configured claim name.
 *
 * <p>Thread-safety: immutable.
 */
public final class TokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final String audience;
    private final String tenantClaim;
    private final Map<String, String> tenantByClient;

    public TokenClaims(AuthServerProperties props) {
        this.audience = props.audience();
        this.tenantClaim = props.tenantClaim();
        this.tenantByClient = props.clients().stream().filter(client -> client.tenant() != null)
                .collect(Collectors.toUnmodifiableMap(AuthServerProperties.Client::id, AuthServerProperties.Client::tenant,
                        (a, b) -> a));
    }

    @Override
    public void customize(JwtEncodingContext context) {
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            return;
        }
        context.getClaims().audience(List.of(audience));
        String tenant = tenantByClient.get(context.getRegisteredClient().getClientId());
        if (tenant != null) {
            context.getClaims().claim(tenantClaim, tenant);
        }
    }
}
