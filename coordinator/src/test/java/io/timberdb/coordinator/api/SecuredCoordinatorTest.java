package io.timberdb.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.RSAKey;
import io.timberdb.coordinator.CoordinatorApplication;
import io.timberdb.coordinator.raft.RaftTestCluster;
import io.timberdb.model.client.CoordinatorClient;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.web.ClusterCredential;
import io.timberdb.security.local.LocalSigningKey;
import io.timberdb.security.local.LocalTokens;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A coordinator with authentication on, as {@code ./timberdb cluster up --auth} and
 * docker-compose.auth.yml run it, and a cluster credential: its public routes need a user token
 * with the route's scope (partition changes and the cluster view {@code admin}), the services'
 * {@link CoordinatorClient} reads and watches the cluster view with the credential alone, the
 * credential opens no other public route, and a user token is no credential. One voter in
 * {@code local} mode (tokens signed with the key it generated): the same filter chain as
 * {@code jwt} mode, without an issuer to stub.
 */
class SecuredCoordinatorTest {

    private static final String CLUSTER_TOKEN = "secured-coordinator-cluster-token";

    @TempDir
    static Path dir;

    private static ConfigurableApplicationContext app;
    private static WebTestClient http;
    private static URI base;
    private static RSAKey key;

    @BeforeAll
    static void start() throws Exception {
        int port = RaftTestCluster.freePort();
        base = URI.create("http://127.0.0.1:" + port);
        app = new SpringApplicationBuilder(CoordinatorApplication.class).run(
                "--server.port=" + port, "--server.address=127.0.0.1", "--server.shutdown=immediate",
                "--timberdb.node-id=coordinator-1", "--timberdb.data-dir=" + dir,
                "--timberdb.coordinator.voters=coordinator-1@127.0.0.1:" + RaftTestCluster.freePort() + "@" + base,
                "--timberdb.security.mode=local", "--timberdb.security.cluster-token=" + CLUSTER_TOKEN);
        http = WebTestClient.bindToServer().baseUrl(base.toString()).responseTimeout(Duration.ofSeconds(30)).build();
        key = LocalSigningKey.load(LocalSigningKey.defaultFile(dir));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> http.get().uri("/health").exchange().expectStatus().isOk());
        // a storage node registers with the credential, so that a partition can be placed
        http.post().uri("/internal/v1/nodes").header(ClusterCredential.HEADER, CLUSTER_TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"id\":\"storage-1\",\"address\":\"http://127.0.0.1:9\"}")
                .exchange().expectStatus().isOk();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String token(String... scopes) {
        return "Bearer " + LocalTokens.sign(key, "default", List.of(scopes), Duration.ofMinutes(5), Instant.now());
    }

    private static WebTestClient.ResponseSpec create(String header, String value, String name) {
        return http.post().uri("/api/v1/partitions/create").header(header, value).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"" + name + "\"}").exchange();
    }

    @Test
    void partitionAdministrationNeedsAnAdminToken() {
        http.post().uri("/api/v1/partitions/create").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"web\"}")
                .exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("AUTHENTICATION_REQUIRED");
        create(HttpHeaders.AUTHORIZATION, token("logs:write", "logs:read"), "web").expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("INSUFFICIENT_SCOPE");
        create(HttpHeaders.AUTHORIZATION, token("admin"), "web").expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo("web").jsonPath("$.tenant").isEqualTo("default");

        http.get().uri("/api/v1/partitions").exchange().expectStatus().isUnauthorized();
        http.get().uri("/api/v1/partitions/web").header(HttpHeaders.AUTHORIZATION, token("logs:read")).exchange()
                .expectStatus().isOk();
    }

    @Test
    void theClusterViewAnswersAnAdminTokenOrTheClusterCredential() {
        http.get().uri("/api/v1/cluster").exchange().expectStatus().isUnauthorized();
        http.get().uri("/api/v1/cluster").header(HttpHeaders.AUTHORIZATION, token("logs:read", "logs:write")).exchange()
                .expectStatus().isForbidden();
        http.get().uri("/api/v1/cluster").header(HttpHeaders.AUTHORIZATION, token("admin")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.coordinator.leader").isEqualTo("coordinator-1");
        http.get().uri("/api/v1/cluster").header(ClusterCredential.HEADER, CLUSTER_TOKEN).exchange().expectStatus().isOk();

        // the services' client: a consistent read and a watch, with the credential and without
        CoordinatorClient services = new CoordinatorClient(
                ClusterCredential.of(CLUSTER_TOKEN).applyTo(WebClient.builder()), List.of(base));
        ClusterView view = services.view().block(Duration.ofSeconds(30));
        assertThat(view.coordinator().leader()).isEqualTo("coordinator-1");
        Optional<ClusterView> current = services.watch(0, Duration.ofMillis(100)).block(Duration.ofSeconds(30));
        assertThat(current).get().extracting(ClusterView::version).isEqualTo(view.version());
        CoordinatorClient anonymous = new CoordinatorClient(WebClient.builder(), List.of(base));
        assertThatThrownBy(() -> anonymous.view().block(Duration.ofSeconds(30))).hasMessageContaining("401");
    }

    @Test
    void aUserTokenIsNoClusterCredentialAndTheCredentialIsNoUserToken() {
        String admin = token("admin");
        // an admin's JWT in the credential's header, or the credential as a bearer token
        http.get().uri("/api/v1/cluster").header(ClusterCredential.HEADER, admin.substring("Bearer ".length())).exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/api/v1/cluster").header(HttpHeaders.AUTHORIZATION, "Bearer " + CLUSTER_TOKEN).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_TOKEN");
        http.post().uri("/internal/v1/nodes").header(HttpHeaders.AUTHORIZATION, admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"id\":\"storage-2\",\"address\":\"http://127.0.0.1:9\"}")
                .exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.code").isEqualTo("AUTHENTICATION_REQUIRED");
        // the credential opens the cluster view only: not partition administration, not the list
        create(ClusterCredential.HEADER, CLUSTER_TOKEN, "by-the-cluster").expectStatus().isUnauthorized();
        http.get().uri("/api/v1/partitions").header(ClusterCredential.HEADER, CLUSTER_TOKEN).exchange()
                .expectStatus().isUnauthorized();
        http.post().uri("/api/v1/cluster").header(ClusterCredential.HEADER, CLUSTER_TOKEN).exchange()
                .expectStatus().isUnauthorized();
    }
}
