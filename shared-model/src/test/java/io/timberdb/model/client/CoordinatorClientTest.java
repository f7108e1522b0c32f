package io.timberdb.model.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.web.ClusterCredential;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link CoordinatorClient#createPartition} against voters on loopback ports that answer as
 * scripted: what it sends, a refusal relayed with its code from the first voter without asking
 * another, and a voter that fails passed over for the next.
 */
class CoordinatorClientTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKEN = "cluster-secret";
    private static final CreatePartitionRequest WEB_OF_ACME =
            new CreatePartitionRequest("web", null, null, null, null, null, null, null, null, "acme").validated();

    /** One create request a voter received. */
    record Received(String voter, String token, JsonNode body) {
    }

    private final List<DisposableServer> servers = new ArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(DisposableServer::disposeNow);
    }

    @Test
    void postsTheRequestWithItsTenantAndTheClusterCredentialAndReadsThePartition() {
        Partition answer = new Partition("p-1", "web", Map.of(), 30, Instant.parse("2026-11-26T12:00:00Z"),
                List.of(new Partition.ShardPlacement(0, "storage-1")), null, null, null, "acme", 1, 1);

        Partition created = client(voter("v1", 200, JSON.writeValueAsString(answer))).createPartition(WEB_OF_ACME)
                .block(WAIT);

        assertThat(created).isEqualTo(answer);
        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.token()).isEqualTo(TOKEN);
            assertThat(r.body().path("name").asString()).isEqualTo("web");
            assertThat(r.body().path("tenant").asString()).isEqualTo("acme");
            assertThat(r.body().path("retention_days").asInt()).isEqualTo(CreatePartitionRequest.DEFAULT_RETENTION_DAYS);
            assertThat(r.body().path("shard_count").isNull()).as("the coordinators' default").isTrue();
            assertThat(r.body().path("replication_factor").isNull()).as("the coordinators' default").isTrue();
        });
    }

    @Test
    void aRefusalFailsWithItsCodeAndFieldWithoutAskingAnotherVoter() {
        URI refusing = voter("v1", 409, problem("PARTITION_EXISTS", "a partition named 'web' already exists", "name"));
        URI other = voter("v2", 200, "{}");

        assertThatThrownBy(() -> client(refusing, other).createPartition(WEB_OF_ACME).block(WAIT))
                .isInstanceOfSatisfying(TimberException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PARTITION_EXISTS);
                    assertThat(e.field()).isEqualTo("name");
                    assertThat(e.getMessage()).isEqualTo("a partition named 'web' already exists");
                });
        assertThat(received).extracting(Received::voter).containsExactly("v1");

        URI invalid = voter("v3", 400, problem("INVALID_FIELD", "'name' must be 1-128 characters", "name"));
        assertThatThrownBy(() -> client(invalid, other).createPartition(WEB_OF_ACME).block(WAIT))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD));
        assertThat(received).extracting(Received::voter).containsExactly("v1", "v3");
    }

    @Test
    void aVoterThatFailsIsPassedOverAndNoneAnsweringIsUnavailable() {
        URI electing = voter("v1", 503, problem("UNAVAILABLE", "no leader", null));
        URI broken = voter("v2", 500, "not a problem detail");
        Partition answer = new Partition("p-1", "web", Map.of(), 30, Instant.EPOCH, List.of());
        URI leader = voter("v3", 200, JSON.writeValueAsString(answer));

        assertThat(client(electing, broken, leader).createPartition(WEB_OF_ACME).block(WAIT)).isEqualTo(answer);
        assertThat(received).extracting(Received::voter).containsExactly("v1", "v2", "v3");

        assertThatThrownBy(() -> client(electing, broken).createPartition(WEB_OF_ACME).block(WAIT))
                .isInstanceOfSatisfying(TimberException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("no coordinator answered", "no leader", "answered 500");
                });
    }

    private static CoordinatorClient client(URI... voters) {
        return new CoordinatorClient(ClusterCredential.of(TOKEN).applyTo(WebClient.builder()), List.of(voters));
    }

    private static String problem(String code, String detail, String field) {
        return JSON.writeValueAsString(field == null ? Map.of("code", code, "detail", detail)
                : Map.of("code", code, "detail", detail, "field", field));
    }

    /** A voter that records each create request and answers it {@code status} with {@code body}. */
    private URI voter(String name, int status, String body) {
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post(CoordinatorClient.CREATE_PARTITION_PATH, (request, response) ->
                        request.receive().aggregate().asString().flatMap(sent -> {
                            received.add(new Received(name, request.requestHeaders().get(ClusterCredential.HEADER),
                                    JSON.readTree(sent)));
                            return response.status(HttpResponseStatus.valueOf(status))
                                    .header("Content-Type", status == 200 ? "application/json" : "application/problem+json")
                                    .sendString(Mono.just(body)).then();
                        })))
                .bindNow();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.port());
    }
}
