package io.timberdb.security.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.timberdb.security.config.SecurityProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Signs the tokens local mode accepts: RS256 with the {@link LocalSigningKey}, issuer
 * {@code timberdb-local}, audience {@code timberdb}, the scopes space-separated in {@code scope}
 * (RFC 9068), the tenant in {@code tenant}, and {@code iat}/{@code nbf} now, {@code exp} after
 * the time to live.
 */
public final class LocalTokens {

    /** The longest time to live {@code ./timberdb token} signs for. */
    public static final Duration MAX_TTL = Duration.ofDays(30);

    private LocalTokens() {
    }

    /** A signed, serialized JWT. */
    public static String sign(RSAKey key, String tenant, List<String> scopes, Duration ttl, Instant now) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("the time to live must be more than 0 and at most " + MAX_TTL.toDays() + " days");
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(SecurityProperties.LOCAL_ISSUER)
                .audience(SecurityProperties.LOCAL_AUDIENCE)
                .subject("local:" + tenant)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .claim("scope", String.join(" ", scopes))
                .claim("tenant", tenant)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with the local key", e);
        }
        return jwt.serialize();
    }
}
