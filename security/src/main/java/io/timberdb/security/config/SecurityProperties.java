package io.timberdb.security.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a process authenticates callers of its public routes ({@code timberdb.security.*}).
 *
 * @param mode {@code off} (no authentication: the default, see {@link Mode}), {@code jwt} (an
 *        external authorization server's tokens) or {@code local} (the standalone's own key)
 * @param issuerUri the {@code iss} every token must carry; without {@code jwk-set-uri} the keys
 *        are found through this issuer's OpenID/OAuth metadata ({@code jwt} mode)
 * @param jwkSetUri where the issuer's public keys are published ({@code jwt} mode)
 * @param audiences a token's {@code aud} must name at least one of these ({@code jwt} mode needs
 *        at least one; {@code local} mode uses {@code timberdb})
 * @param clockSkew how far {@code exp} and {@code nbf} may be off this server's clock (0-5 min)
 * @param tenantClaim the claim whose value is the caller's tenant (see {@code CallerTenant})
 * @param localKeyFile the local mode's signing key (default
 *        {@code <timberdb.data-dir>/security/local-signing-key.json})
 */
@Validated
@ConfigurationProperties("timberdb.security")
public record SecurityProperties(
        @DefaultValue("off") @NotNull Mode mode,
        URI issuerUri,
        URI jwkSetUri,
        @DefaultValue List<String> audiences,
        @DefaultValue("60s") @NotNull @DurationMin(seconds = 0) @DurationMax(minutes = 5) Duration clockSkew,
        @DefaultValue("tenant") @NotBlank String tenantClaim,
        Path localKeyFile) {

    /** The issuer of the tokens local mode signs and accepts. */
    public static final String LOCAL_ISSUER = "timberdb-local";
    /** The audience of the tokens local mode signs and accepts. */
    public static final String LOCAL_AUDIENCE = "timberdb";

    /** The authentication modes. */
    public enum Mode {
        /**
         * No authentication. The default of the cluster services ({@code ./timberdb cluster up --auth}
         * turns on jwt mode against its authorization server) and of the standalone while it listens
         * on loopback.
         */
        OFF,
        /** Tokens of an external issuer, checked against its published keys. */
        JWT,
        /** Tokens signed with a key this process generates under its data directory. */
        LOCAL
    }

    /** The issuer tokens must carry in this mode (null: jwt mode with a JWK set URI only). */
    public String expectedIssuer() {
        return mode == Mode.LOCAL ? LOCAL_ISSUER : issuerUri == null ? null : issuerUri.toString();
    }

    /** The audiences a token may name in this mode. */
    public List<String> expectedAudiences() {
        return mode == Mode.LOCAL ? List.of(LOCAL_AUDIENCE) : audiences;
    }

    /**
     * Fails with a message naming the property when jwt mode lacks what it needs; called when the
     * filter chain is built, so a misconfigured process does not start.
     */
    public void requireComplete() {
        if (mode != Mode.JWT) {
            return;
        }
        if (issuerUri == null && jwkSetUri == null) {
            throw new IllegalStateException(
                    "timberdb.security.mode=jwt needs timberdb.security.issuer-uri or timberdb.security.jwk-set-uri");
        }
        if (audiences.isEmpty()) {
            throw new IllegalStateException("timberdb.security.mode=jwt needs timberdb.security.audiences");
        }
    }
}
