package io.timberdb.security.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.security.config.SecurityProperties;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;

class CallerTenantTest {

    private static SecurityProperties props(String tenantClaim) {
        return new SecurityProperties(SecurityProperties.Mode.JWT, URI.create("https://issuer.example"), null,
                List.of("timberdb"), Duration.ofSeconds(60), tenantClaim, null);
    }

    private static Jwt jwt(Object tenant) {
        return Jwt.withTokenValue("t").header("alg", "RS256").claim("scope", "logs:read admin").claim("org", tenant)
                .expiresAt(Instant.now().plusSeconds(60)).build();
    }

    @Test
    void theConfiguredClaimBecomesTheCallersTenantAndTheScopesItsAuthorities() {
        TenantAuthentication caller = (TenantAuthentication) TokenDecoders.authentication(props("org")).convert(jwt("acme")).block();

        assertThat(caller.tenant()).isEqualTo("acme");
        assertThat(caller.getAuthorities()).extracting(GrantedAuthority::getAuthority).contains("SCOPE_logs:read", "SCOPE_admin");
        assertThat(CallerTenant.current().contextWrite(ReactiveSecurityContextHolder.withAuthentication(caller)).block())
                .isEqualTo("acme");
    }

    @Test
    void noTenantWithoutAStringClaimOrWithoutACaller() {
        TenantAuthentication numeric = (TenantAuthentication) TokenDecoders.authentication(props("org")).convert(jwt(42)).block();
        assertThat(numeric.tenant()).isNull();
        assertThat(CallerTenant.current().contextWrite(ReactiveSecurityContextHolder.withAuthentication(numeric)).block()).isNull();
        assertThat(CallerTenant.current().block()).isNull();
    }
}
