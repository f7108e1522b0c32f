package io.timberdb.e2e;

import static io.timberdb.e2e.LocalClusterIT.launcherIn;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./timberdb cluster up --auth}: the local cluster with its authorization server. Tokens
 * are obtained the way a real client does (a form {@code POST} of the client-credentials grant to
 * the token endpoint, the client's id and secret as HTTP basic credentials), then the quick start
 * runs through the gateway with them; no token is 401, a token without the route's scope 403.
 * The coordinators check tokens too: on a coordinator's own port, partition administration and the
 * cluster view need an admin token, and an admin token opens no internal route.
 * Ports are shifted by 4000 and the cluster lives in its own directory, apart from
 * {@link LocalClusterIT}'s.
 */
class LocalClusterAuthIT {

    static final int OFFSET = 4000;
    static final String GATEWAY = "http://127.0.0.1:" + (7777 + OFFSET);
    static final String TOKEN_ENDPOINT = "http://127.0.0.1:" + (7790 + OFFSET) + "/oauth2/token";
    static final Path CLUSTER_DIR = ServiceProcess.ROOT.resolve("e2e-tests/target/cluster-auth");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void up() throws Exception {
        launcherIn(CLUSTER_DIR, "cluster", "down"); // a cluster left over by an interrupted run
        if (Files.exists(CLUSTER_DIR)) {
            try (var files = Files.walk(CLUSTER_DIR)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        String started = launcherIn(CLUSTER_DIR, "cluster", "up", "--auth", "--port-offset", String.valueOf(OFFSET));
        assertThat(started).contains("TimberDB cluster is up", "oauth2/token");
    }

    @AfterAll
    static void down() throws Exception {
        assertThat(launcherIn(CLUSTER_DIR, "cluster", "down")).contains("stopped 10 process(es)");
    }

    @Test
    void theQuickStartRunsThroughTheGatewayWithATokenOfTheAuthorizationServer() throws Exception {
        String status = launcherIn(CLUSTER_DIR, "cluster", "status");
        assertThat(status).containsPattern("(?m)^auth-1 +auth-server .* UP$")
                .containsPattern("coordinator leader: coordinator-[123]");
        Path clients = CLUSTER_DIR.resolve("auth/clients.properties");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clients))).isEqualTo("rw-------");

        QuickStart admin = new QuickStart(GATEWAY, token("admin"));
        admin.run();
        assertThat(admin.get("/api/v1/cluster", 200).path("nodes").size()).isEqualTo(3);

        QuickStart writer = new QuickStart(GATEWAY, token("writer"));
        assertThat(writer.post("/api/v1/partitions/my-application-logs/logs",
                "{\"source\":\"web-01\",\"message\":\"written with a writer's token\"}", 200).path("ids").size()).isEqualTo(1);
        QuickStart reader = new QuickStart(GATEWAY, token("reader"));
        JsonNode found = reader.post("/api/v1/query/execute", """
                {"filter": {"source": "web-01", "message_contains": "writer's token"}, "limit": 10}""", 200);
        assertThat(found.path("matched_entries").asLong()).isEqualTo(1);
    }

    @Test
    void noTokenIs401AndATokenWithoutTheRoutesScopeIs403() throws Exception {
        String entry = "{\"source\":\"web-01\",\"message\":\"refused\"}";
        QuickStart anonymous = new QuickStart(GATEWAY);
        assertThat(anonymous.get("/health", 200).path("status").asString()).isEqualTo("UP");
        JsonNode missing = anonymous.post("/api/v1/partitions/my-application-logs/logs", entry, 401);
        assertThat(missing.path("code").asString()).isEqualTo("AUTHENTICATION_REQUIRED");
        assertThat(anonymous.post("/api/v1/query", "{\"query\":\"SELECT * FROM \\\"my-application-logs\\\"\"}", 401)
                .path("code").asString()).isEqualTo("AUTHENTICATION_REQUIRED");
        assertThat(new QuickStart(GATEWAY, "not-a-token").post("/api/v1/partitions/my-application-logs/logs", entry, 401)
                .path("code").asString()).isEqualTo("INVALID_TOKEN");

        JsonNode noWrite = new QuickStart(GATEWAY, token("reader")).post("/api/v1/partitions/my-application-logs/logs", entry, 403);
        assertThat(noWrite.path("code").asString()).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(noWrite.path("scope").toString()).contains("logs:write");
        assertThat(new QuickStart(GATEWAY, token("writer")).post("/api/v1/partitions", "{\"name\":\"not-allowed\"}", 403)
                .path("code").asString()).isEqualTo("INSUFFICIENT_SCOPE");
    }

    @Test
    void aCoordinatorsOwnPortRefusesARequestWithoutATokenAndAcceptsAnAdminToken() throws Exception {
        String coordinator = "http://127.0.0.1:" + (7802 + OFFSET);
        QuickStart anonymous = new QuickStart(coordinator);
        assertThat(anonymous.post("/api/v1/partitions", "{\"name\":\"past-the-gateway\"}", 401).path("code").asString())
                .isEqualTo("AUTHENTICATION_REQUIRED");
        anonymous.get("/api/v1/cluster", 401);
        anonymous.get("/api/v1/partitions", 401);
        assertThat(new QuickStart(coordinator, token("writer")).post("/api/v1/partitions", "{\"name\":\"past-the-gateway\"}", 403)
                .path("code").asString()).isEqualTo("INSUFFICIENT_SCOPE");

        QuickStart admin = new QuickStart(coordinator, token("admin"));
        assertThat(admin.get("/api/v1/cluster", 200).path("coordinator").path("leader").asString()).startsWith("coordinator-");
        // whichever voter leads: a follower forwards the admin's creation to the leader, token and all
        assertThat(admin.post("/api/v1/partitions", "{\"name\":\"made-on-a-coordinator\"}", 201).path("tenant").asString())
                .isEqualTo("default");
        // an admin's token is no cluster credential
        assertThat(admin.post("/internal/v1/nodes/no-such-node/drain", "{}", 401).path("code").asString())
                .isEqualTo("AUTHENTICATION_REQUIRED");
    }

    @Test
    void theTokenEndpointRefusesAWrongSecret() throws Exception {
        HttpResponse<String> answer = tokenRequest("admin", "not-the-secret");
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(QuickStart.JSON.readTree(answer.body()).path("error").asString()).isEqualTo("invalid_client");
    }

    /** A token of the client-credentials grant for one of the clients the launcher made. */
    static String token(String client) throws Exception {
        HttpResponse<String> answer = tokenRequest(client, clientSecret(client));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode body = QuickStart.JSON.readTree(answer.body());
        assertThat(body.path("token_type").asString()).isEqualTo("Bearer");
        return body.path("access_token").asString();
    }

    static HttpResponse<String> tokenRequest(String client, String secret) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(TOKEN_ENDPOINT))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The secret {@code cluster up --auth} generated for a client, from its clients file. */
    static String clientSecret(String client) throws IOException {
        Properties clients = new Properties();
        try (Reader in = Files.newBufferedReader(CLUSTER_DIR.resolve("auth/clients.properties"))) {
            clients.load(in);
        }
        for (int i = 0; clients.containsKey("timberdb.auth.clients[" + i + "].id"); i++) {
            if (clients.getProperty("timberdb.auth.clients[" + i + "].id").equals(client)) {
                return clients.getProperty("timberdb.auth.clients[" + i + "].secret");
            }
        }
        throw new AssertionError("no client " + client + " in " + clients.keySet());
    }
}
