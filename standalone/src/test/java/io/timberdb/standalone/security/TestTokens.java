package io.timberdb.standalone.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.UnaryOperator;

/**
 * Tokens for the security tests: valid ones signed with the standalone's local key, and each way
 * a token can be wrong (another key, expired, not yet valid, another issuer or audience, unsigned).
 */
final class TestTokens {

    private final RSAKey key;
    private final RSAKey otherKey;

    TestTokens(RSAKey key) {
        this.key = key;
        try {
            this.otherKey = new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid token with these scopes (space-separated) for tenant {@code acme}. */
    String valid(String scopes) {
        return sign(key, claims(scopes, c -> c));
    }

    String signedByAnotherKey(String scopes) {
        return sign(otherKey, claims(scopes, c -> c));
    }

    /** Expired ten minutes ago: beyond the default 60 s clock skew. */
    String expired(String scopes) {
        Instant now = Instant.now();
        return sign(key, claims(scopes, c -> c.issueTime(Date.from(now.minus(Duration.ofHours(1))))
                .notBeforeTime(Date.from(now.minus(Duration.ofHours(1)))).expirationTime(Date.from(now.minus(Duration.ofMinutes(10))))));
    }

    /** Valid from ten minutes on. */
    String notYetValid(String scopes) {
        return sign(key, claims(scopes, c -> c.notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(10))))));
    }

    String wrongIssuer(String scopes) {
        return sign(key, claims(scopes, c -> c.issuer("https://someone-else.example")));
    }

    String wrongAudience(String scopes) {
        return sign(key, claims(scopes, c -> c.audience("another-service")));
    }

    /** {@code alg: none}: the claims of a valid token, unsigned. */
    String unsigned(String scopes) {
        return new PlainJWT(claims(scopes, c -> c)).serialize();
    }

    private static JWTClaimsSet claims(String scopes, UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        return change.apply(new JWTClaimsSet.Builder().issuer("timberdb-local").audience("timberdb").subject("test")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .claim("scope", scopes).claim("tenant", "acme")).build();
    }

    private static String sign(RSAKey with, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(with.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(with));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
