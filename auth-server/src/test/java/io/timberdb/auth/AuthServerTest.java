package io.timberdb.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.auth.config.AuthServerProperties;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The authorization server on a loopback port, asked for tokens the way a client does: a form
 * {@code POST /oauth2/token} with HTTP basic client authentication; each token is checked
 * against the keys the server publishes at its JWK set URI.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "timberdb.auth.issuer=http://issuer.test",
        "timberdb.auth.clients[0].id=shipper",
        "timberdb.auth.clients[0].secret=shipper-secret",
        "timberdb.auth.clients[0].scopes=logs:write,logs:read",
        "timberdb.auth.clients[0].tenant=acme",
        "timberdb.auth.clients[1].id=ops",
        "timberdb.auth.clients[1].secret={bcrypt}$2a$10$Lfz2tDgPmk0u6GMW/hy3..X7zED3L7PrlBMTaLdRPP64cjFzjaYDO",
        "timberdb.auth.clients[1].scopes=admin"})
class AuthServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void issuesAClientCredentialsTokenWithTheAudienceTenantAndRequestedScopes() throws Exception {
        HttpResponse<String> answer = token("shipper", "shipper-secret", "grant_type=client_credentials&scope="
                + URLEncoder.encode("logs:write", StandardCharsets.UTF_8));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.path("scope").asString()).isEqualTo("logs:write");
        assertThat(body.path("expires_in").asLong()).isBetween(3590L, 3600L);

        Jwt jwt = decode(body.path("access_token").asString());
        assertThat(jwt.getAudience()).containsExactly("timberdb");
        assertThat(jwt.getClaimAsString("iss")).isEqualTo("http://issuer.test");
        assertThat(jwt.getClaimAsString("tenant")).isEqualTo("acme");
        assertThat(jwt.getClaimAsStringList("scope")).containsExactly("logs:write");
        assertThat(jwt.getSubject()).isEqualTo("shipper");
        assertThat(jwt.getExpiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(55)));
    }

    @Test
    void aRequestWithoutScopeGetsEveryScopeOfItsClient() throws Exception {
        HttpResponse<String> answer = token("shipper", "shipper-secret", "grant_type=client_credentials");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Jwt jwt = decode(JSON.readTree(answer.body()).path("access_token").asString());
        assertThat(jwt.getClaimAsStringList("scope")).containsExactlyInAnyOrder("logs:write", "logs:read");
    }

    @Test
    void aClientWithoutTenantAndAnEncodedSecretGetsATokenWithoutTenantClaim() throws Exception {
        HttpResponse<String> answer = token("ops", "ops-secret", "grant_type=client_credentials");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Jwt jwt = decode(JSON.readTree(answer.body()).path("access_token").asString());
        assertThat(jwt.getClaims()).doesNotContainKey("tenant");
        assertThat(jwt.getClaimAsStringList("scope")).containsExactly("admin");
    }

    @Test
    void refusesAWrongSecretAnUnknownClientAndAScopeTheClientLacks() throws Exception {
        assertThat(error(token("shipper", "wrong", "grant_type=client_credentials"), 401)).isEqualTo("invalid_client");
        assertThat(error(token("nobody", "shipper-secret", "grant_type=client_credentials"), 401)).isEqualTo("invalid_client");
        assertThat(error(token("shipper", "shipper-secret", "grant_type=client_credentials&scope=admin"), 400))
                .isEqualTo("invalid_scope");
        assertThat(error(token("shipper", "shipper-secret", "grant_type=authorization_code&code=x"), 400))
                .isEqualTo("invalid_grant"); // no code is ever issued: the grant is not served
    }

    @Test
    void servesItsMetadataAndProbesAndNothingElse() throws Exception {
        JsonNode metadata = JSON.readTree(get("/.well-known/oauth-authorization-server", 200));
        assertThat(metadata.path("issuer").asString()).isEqualTo("http://issuer.test");
        assertThat(metadata.path("token_endpoint").asString()).isEqualTo("http://issuer.test/oauth2/token");
        assertThat(metadata.path("jwks_uri").asString()).isEqualTo("http://issuer.test/oauth2/jwks");
        assertThat(JSON.readTree(get("/oauth2/jwks", 200)).path("keys").get(0).path("kty").asString()).isEqualTo("RSA");
        assertThat(get("/actuator/health/readiness", 200)).contains("UP");
        get("/actuator/env", 401);
        get("/", 401);
    }

    @Test
    void aClientIdConfiguredTwiceIsRefusedNamingTheProperty() {
        AuthServerProperties.Client client = new AuthServerProperties.Client("a", "s", List.of("admin"), null);
        assertThatThrownBy(() -> new AuthServerProperties(null, "timberdb", "tenant", Duration.ofHours(1),
                List.of(client, client)))
                .hasMessageContaining("timberdb.auth.clients[1].id");
    }

    private HttpResponse<String> token(String client, String secret, String form) throws Exception {
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String error(HttpResponse<String> answer, int status) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return JSON.readTree(answer.body()).path("error").asString();
    }

    private String get(String path, int status) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path).isEqualTo(status);
        return answer.body();
    }

    private Jwt decode(String token) {
        return NimbusJwtDecoder.withJwkSetUri("http://127.0.0.1:" + port + "/oauth2/jwks").build().decode(token);
    }
}
