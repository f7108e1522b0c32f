package io.timberdb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The gateway with the default {@code timberdb.security.mode=off} routes as it did before the
 * security module: no token asked for, none of Spring Security's response headers added.
 */
class GatewayWithoutAuthenticationTest {

    private static RunningGateway gateway;

    @BeforeAll
    static void start() {
        DisposableServer ingest = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post("/v1/logs", (request, response) -> response.status(200)
                        .header(HttpHeaders.CONTENT_TYPE, "application/json").sendString(Mono.just("{}"))))
                .bindNow();
        gateway = RunningGateway.start(ingest);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void routesWithoutATokenAndAddsNoSecurityHeaders() {
        HttpHeaders headers = gateway.http.post().uri("/v1/logs").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders();
        for (String header : new String[] {HttpHeaders.WWW_AUTHENTICATE, HttpHeaders.CACHE_CONTROL, "X-Frame-Options",
                "X-Content-Type-Options"}) {
            assertThat(headers.containsHeader(header)).as(header).isFalse();
        }
    }
}
