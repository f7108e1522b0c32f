package io.timberdb.auth.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The authorization server's clients and tokens ({@code timberdb.auth.*}).
 *
 * @param issuer the {@code iss} of every token and the base of the metadata's endpoint URLs; the
 *        resource servers' {@code timberdb.security.issuer-uri} must be this exact string. Unset:
 *        derived from each request's host, which then differs by the address a client used
 * @param audience the {@code aud} of every token (the resource servers'
 *        {@code timberdb.security.audiences})
 * @param tenantClaim the claim that carries a client's tenant (the resource servers'
 *        {@code timberdb.security.tenant-claim})
 * @param tokenTtl how long an access token is valid (1 min to 1 day)
 * @param clients the clients allowed the client-credentials grant (at least one); ids must be
 *        distinct
 */
@Validated
@ConfigurationProperties("timberdb.auth")
public record AuthServerProperties(
        URI issuer,
        @DefaultValue("timberdb") @NotBlank String audience,
        @DefaultValue("tenant") @NotBlank String tenantClaim,
        @DefaultValue("1h") @NotNull @DurationMin(minutes = 1) @DurationMax(days = 1) Duration tokenTtl,
        @NotEmpty List<@Valid @NotNull Client> clients) {

    public AuthServerProperties {
        Set<String> ids = new HashSet<>();
        for (int i = 0; clients != null && i < clients.size(); i++) {
            Client client = clients.get(i);
            if (client != null && client.id() != null && !ids.add(client.id())) {
                throw new IllegalArgumentException(
                        "timberdb.auth.clients[" + i + "].id: " + client.id() + " is configured twice");
            }
        }
    }

    /**
     * One client.
     *
     * @param id the client id (the user name of HTTP basic authentication at the token endpoint)
     * @param secret its secret: in {@code {id}encoded} form ({@code {bcrypt}$2a$…}) or plain
     *        text, which is compared as given ({@code {noop}})
     * @param scopes the scopes it may request ({@code logs:write}, {@code logs:read},
     *        {@code admin}); a token carries the ones requested, all of them when none is
     * @param tenant its tenant, put in every token it gets as the {@code tenant-claim} claim; none:
     *        no such claim
     */
    public record Client(
            @NotBlank String id,
            @NotBlank String secret,
            @NotEmpty List<@NotBlank String> scopes,
            String tenant) {

        /** The secret as Spring Security's delegating password encoder reads it. */
        public String encodedSecret() {
            return secret.startsWith("{") ? secret : "{noop}" + secret;
        }
    }
}
