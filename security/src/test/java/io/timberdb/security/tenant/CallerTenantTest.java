package io.timberdb.security.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.security.config.SecurityProperties;
import io.timberdb.security.jwt.TenantAuthentication;
import io.timberdb.security.jwt.TokenDecoders;
import reactor.util.context.Context;
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
    void theDefaultTenantWithoutAStringClaimOrWithoutACaller() {
        TenantAuthentication numeric = (TenantAuthentication) TokenDecoders.authentication(props("org")).convert(jwt(42)).block();
        assertThat(numeric.tenant()).isNull();
        assertThat(CallerTenant.current().contextWrite(ReactiveSecurityContextHolder.withAuthentication(numeric)).block())
                .isEqualTo("default");
        assertThat(CallerTenant.current().block()).isEqualTo("default");
    }

    @Test
    void theHeaderNamesTheTenantOfACallerWithoutATokenButNeverOverridesAToken() {
        assertThat(CallerTenant.current().contextWrite(c -> CallerTenant.withHeader(c, "team-a")).block()).isEqualTo("team-a");

        TenantAuthentication caller = (TenantAuthentication) TokenDecoders.authentication(props("org")).convert(jwt("acme")).block();
        assertThat(CallerTenant.current().contextWrite(c -> CallerTenant.withHeader(c, "team-a"))
                .contextWrite(ReactiveSecurityContextHolder.withAuthentication(caller)).block()).isEqualTo("acme");
    }

    @Test
    void aHeaderThatIsNotATenantNameIsRefusedWithItsField() {
        assertThatThrownBy(() -> CallerTenant.current().contextWrite(Context.of(CallerTenant.HEADER_KEY, "../x")).block())
                .isInstanceOfSatisfying(TimberException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
                    assertThat(e.field()).isEqualTo("X-Scope-OrgID");
                });
    }
}
