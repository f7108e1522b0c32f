package io.timberdb.security.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.Jwt;

class ClaimsValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final ClaimsValidator validator = new ClaimsValidator("timberdb-local", List.of("timberdb"),
            Duration.ofSeconds(60), Clock.fixed(NOW, ZoneOffset.UTC));

    private static Jwt jwt(UnaryOperator<Jwt.Builder> change) {
        return change.apply(Jwt.withTokenValue("t").header("alg", "RS256").issuer("timberdb-local").audience(List.of("timberdb"))
                .issuedAt(NOW.minusSeconds(3600)).notBefore(NOW.minusSeconds(10)).expiresAt(NOW.plusSeconds(600))).build();
    }

    private List<String> errors(Jwt jwt) {
        return validator.validate(jwt).getErrors().stream().map(OAuth2Error::getDescription).toList();
    }

    @Test
    void acceptsAValidTokenAndToleratesTheClockSkew() {
        assertThat(errors(jwt(b -> b))).isEmpty();
        assertThat(errors(jwt(b -> b.expiresAt(NOW.minusSeconds(59))))).isEmpty();
        assertThat(errors(jwt(b -> b.notBefore(NOW.plusSeconds(59))))).isEmpty();
        assertThat(errors(jwt(b -> b.audience(List.of("other", "timberdb"))))).isEmpty();
    }

    @Test
    void refusesEachBadClaimWithItsOwnFixedDescription() {
        assertThat(errors(jwt(b -> b.expiresAt(NOW.minusSeconds(61))))).containsExactly(ClaimsValidator.EXPIRED);
        assertThat(errors(jwt(b -> b.notBefore(NOW.plusSeconds(61))))).containsExactly(ClaimsValidator.NOT_YET_VALID);
        assertThat(errors(jwt(b -> b.claims(c -> c.remove("exp"))))).containsExactly(ClaimsValidator.NO_EXPIRY);
        assertThat(errors(jwt(b -> b.issuer("https://evil.example")))).containsExactly(ClaimsValidator.WRONG_ISSUER);
        assertThat(errors(jwt(b -> b.audience(List.of("other"))))).containsExactly(ClaimsValidator.WRONG_AUDIENCE);
        assertThat(errors(jwt(b -> b.claims(c -> c.remove("aud"))))).containsExactly(ClaimsValidator.WRONG_AUDIENCE);
    }
}
