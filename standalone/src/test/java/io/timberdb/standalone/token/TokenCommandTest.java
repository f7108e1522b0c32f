package io.timberdb.standalone.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.timberdb.security.local.LocalSigningKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return TokenCommand.run(args, new PrintStream(out, true), new PrintStream(err, true), NOW);
    }

    @Test
    void signsTheScopesTenantAndLifetimeAsked() throws Exception {
        RSAKey key = LocalSigningKey.loadOrCreate(LocalSigningKey.defaultFile(dataDir));

        assertThat(run("--data-dir", dataDir.toString(), "--scope", "logs:read,admin", "--tenant=acme", "--ttl", "2h")).isZero();

        SignedJWT jwt = SignedJWT.parse(out.toString().strip());
        assertThat(jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))).isTrue();
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.getKeyID());
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("timberdb-local");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("timberdb");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("logs:read admin");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("tenant")).isEqualTo("acme");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(2)));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void withoutAKeyItSaysToStartTheServerWithAuthFirst() {
        assertThat(run("--data-dir", dataDir.toString(), "--scope", "logs:read", "--tenant", "acme")).isEqualTo(1);
        assertThat(err.toString()).contains("start ./timberdb up --auth first");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void refusesUnknownScopesMissingFlagsAndBadLifetimes() throws Exception {
        LocalSigningKey.loadOrCreate(LocalSigningKey.defaultFile(dataDir));
        String dir = dataDir.toString();
        assertThat(run("--data-dir", dir, "--scope", "logs:delete", "--tenant", "acme")).isEqualTo(2);
        assertThat(run("--data-dir", dir, "--scope", "logs:read")).isEqualTo(2);
        assertThat(run("--data-dir", dir, "--scope", "logs:read", "--tenant", "acme", "--ttl", "forever")).isEqualTo(2);
        assertThat(run("--data-dir", dir, "--scope", "logs:read", "--tenant", "acme", "--ttl", "90d")).isEqualTo(2);
        assertThat(run("--data-dir", dir, "--scope", "logs:read", "--tenant", "acme", "--verbose")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown scope 'logs:delete'", "--scope and --tenant are required",
                "--ttl takes a duration", "at most 30 days", "unknown argument '--verbose'");
        assertThat(out.toString()).isEmpty();
    }
}
