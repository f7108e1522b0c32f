package io.timberdb.security.jwt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Checks the claims of a token whose signature already verified: {@code exp} present and not
 * past, {@code nbf} (when present) not in the future, both within the allowed clock skew;
 * {@code iss} the expected issuer; {@code aud} naming one of the expected audiences.
 *
 * <p>Its error descriptions are fixed texts that never quote the token: they reach the client in
 * {@code WWW-Authenticate} and the problem detail, and Spring Security logs them.
 *
 * <p>Thread-safety: immutable.
 */
final class ClaimsValidator implements OAuth2TokenValidator<Jwt> {

    static final String EXPIRED = "the token has expired";
    static final String NOT_YET_VALID = "the token is not valid yet (nbf)";
    static final String NO_EXPIRY = "the token has no exp claim";
    static final String WRONG_ISSUER = "the token was not issued by the issuer this server trusts (iss)";
    static final String WRONG_AUDIENCE = "the token is not meant for this server (aud)";

    private final String issuer;
    private final List<String> audiences;
    private final Duration skew;
    private final Clock clock;

    /**
     * @param issuer the required {@code iss}, or null to accept any (a JWK set URI without issuer)
     * @param audiences {@code aud} must name one of these
     */
    ClaimsValidator(String issuer, List<String> audiences, Duration skew, Clock clock) {
        this.issuer = issuer;
        this.audiences = List.copyOf(audiences);
        this.skew = skew;
        this.clock = clock;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt jwt) {
        Instant now = clock.instant();
        List<OAuth2Error> errors = new ArrayList<>();
        if (jwt.getExpiresAt() == null) {
            errors.add(invalid(NO_EXPIRY));
        } else if (now.minus(skew).isAfter(jwt.getExpiresAt())) {
            errors.add(invalid(EXPIRED));
        }
        if (jwt.getNotBefore() != null && now.plus(skew).isBefore(jwt.getNotBefore())) {
            errors.add(invalid(NOT_YET_VALID));
        }
        if (issuer != null && !issuer.equals(jwt.getClaimAsString("iss"))) {
            errors.add(invalid(WRONG_ISSUER));
        }
        List<String> aud = jwt.getAudience();
        if (aud == null || aud.stream().noneMatch(audiences::contains)) {
            errors.add(invalid(WRONG_AUDIENCE));
        }
        return errors.isEmpty() ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(errors);
    }

    private static OAuth2Error invalid(String description) {
        return new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null);
    }
}
