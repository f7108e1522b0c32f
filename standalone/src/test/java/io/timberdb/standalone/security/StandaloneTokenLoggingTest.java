package io.timberdb.standalone.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import io.timberdb.security.local.LocalSigningKey;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * No token, and no key material, reaches the log or a response, even with the security and web
 * packages logging at DEBUG: requests with valid and with every kind of invalid token.
 */
@ExtendWith(OutputCaptureExtension.class)
class StandaloneTokenLoggingTest extends SecuredStandalone {

    private static final List<String> LOGGERS = List.of("org.springframework.security", "io.timberdb",
            "org.springframework.web", "org.springframework.http");

    @AfterEach
    void quiet() {
        LOGGERS.forEach(logger -> LoggingSystem.get(getClass().getClassLoader()).setLogLevel(logger, null));
    }

    @Test
    void logsAndProblemsNeverQuoteATokenOrTheKey(CapturedOutput output) throws Exception {
        awaitHealthy();
        LOGGERS.forEach(logger -> LoggingSystem.get(getClass().getClassLoader()).setLogLevel(logger, LogLevel.DEBUG));
        RSAKey key = signingKey();
        TestTokens tokens = new TestTokens(key);
        List<String> sent = new ArrayList<>(List.of(tokens.valid("admin logs:read logs:write"), tokens.valid("logs:read"),
                tokens.signedByAnotherKey("admin"), tokens.expired("admin"), tokens.notYetValid("admin"),
                tokens.wrongIssuer("admin"), tokens.wrongAudience("admin"), tokens.unsigned("admin"),
                // junk a parser might quote back: a header that is JSON, a header that is not
                "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQtbWFya2Vy.c2lnbmF0dXJlLW1hcmtlcg",
                "bm90LWpzb24tbWFya2VyLWhlYWRlcg.e30.c2ln"));
        List<String> bodies = new ArrayList<>();
        for (String token : sent) {
            bodies.add(http.get().uri("/api/v1/partitions").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .exchange().expectBody(String.class).returnResult().getResponseBody());
            bodies.add(http.post().uri("/api/v1/partitions").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"logged\"}")
                    .exchange().expectBody(String.class).returnResult().getResponseBody());
        }
        String keyFile = Files.readString(LocalSigningKey.defaultFile(dataDir));
        List<String> secrets = new ArrayList<>(List.of(keyFile, key.getPrivateExponent().toString(),
                key.getFirstPrimeFactor().toString(), key.getModulus().toString()));
        for (String token : sent) {
            secrets.add(token);
            for (String part : token.split("\\.")) {
                if (part.length() >= 12) {
                    secrets.add(part);
                }
            }
        }
        secrets.add("secret-payload-marker");
        secrets.add("not-json-marker-header");
        String log = output.getAll();
        assertThat(log).as("the captured DEBUG log").contains("refused a bearer token");
        for (String secret : secrets) {
            assertThat(log).as("the log").doesNotContain(secret);
            assertThat(bodies).as("the responses").noneMatch(body -> body != null && body.contains(secret));
        }
    }
}
