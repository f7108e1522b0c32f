package io.timberdb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.web.ClusterCredential;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The gateway's {@code /health} reads the cluster view from a coordinator that, as one in
 * {@code jwt} mode does, answers {@code GET /api/v1/cluster} only to the cluster credential (a
 * loopback stub): the gateway presents it there, and never relays a client's to the routes.
 */
class GatewayClusterHealthTest {

    private static final String TOKEN = "gateway-test-cluster-token";
    private static final String VIEW = """
            {"version":7,"coordinator":{"leader":"coordinator-2","voters":["coordinator-1","coordinator-2"]},
             "nodes":[],"partitions":[]}""";

    private static RunningGateway gateway;
    /** The cluster token header of each request the stub saw, "-" for none, prefixed by its path. */
    private static final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        DisposableServer stub = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/api/v1/cluster", (request, response) -> {
                            String presented = request.requestHeaders().get(ClusterCredential.HEADER);
                            seen.add("/api/v1/cluster " + (presented == null ? "-" : presented));
                            return TOKEN.equals(presented)
                                    ? response.header(HttpHeaders.CONTENT_TYPE, "application/json").sendString(Mono.just(VIEW))
                                    : response.status(401).send();
                        })
                        .route(request -> true, (request, response) -> {
                            String presented = request.requestHeaders().get(ClusterCredential.HEADER);
                            seen.add(request.uri() + " " + (presented == null ? "-" : presented));
                            return response.status(200).header(HttpHeaders.CONTENT_TYPE, "application/json")
                                    .sendString(Mono.just("{}"));
                        }))
                .bindNow();
        gateway = RunningGateway.startBehind(stub, "http://127.0.0.1:" + stub.port(), "--timberdb.security.cluster-token=" + TOKEN);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void theHealthReadsTheClusterViewWithTheClusterCredential() {
        gateway.http.get().uri("/health").exchange()
                .expectBody()
                .jsonPath("$.details.coordinator_leader").isEqualTo("coordinator-2")
                .jsonPath("$.details.coordinator_voters.length()").isEqualTo(2);
        assertThat(seen).contains("/api/v1/cluster " + TOKEN);
    }

    @Test
    void aRoutedRequestCarriesNoClusterCredential() {
        seen.clear();
        // security off: the request reaches the coordinator route, without the gateway's token or the client's
        gateway.http.get().uri("/api/v1/cluster").header(ClusterCredential.HEADER, "the-clients-guess").exchange()
                .expectStatus().isUnauthorized();
        gateway.http.get().uri("/api/v1/partitions").exchange().expectStatus().isOk();
        assertThat(seen).containsExactly("/api/v1/cluster -", "/api/v1/partitions -");
    }
}
