package io.timberdb.gateway;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A gateway on a free loopback port whose ingest route goes to a test's stub server (the
 * coordinator and query routes go nowhere), and a client for it.
 */
final class RunningGateway implements AutoCloseable {

    final WebTestClient http;
    final int port;
    private final ConfigurableApplicationContext context;
    private final DisposableServer ingest;

    private RunningGateway(ConfigurableApplicationContext context, DisposableServer ingest) {
        this.context = context;
        this.ingest = ingest;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    /** Starts a gateway in front of {@code ingest}, with more {@code --property=value} arguments. */
    static RunningGateway start(DisposableServer ingest, String... more) {
        return startBehind(ingest, "http://127.0.0.1:9", more);
    }

    /**
     * Starts a gateway whose ingest route goes to {@code stub} and whose coordinator is
     * {@code coordinators}, with more {@code --property=value} arguments.
     */
    static RunningGateway startBehind(DisposableServer stub, String coordinators, String... more) {
        List<String> args = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=0",
                "--timberdb.gateway.coordinators=" + coordinators, "--timberdb.gateway.query-url=http://127.0.0.1:9",
                "--timberdb.gateway.ingest-url=http://127.0.0.1:" + stub.port()));
        args.addAll(List.of(more));
        return new RunningGateway(new SpringApplicationBuilder(GatewayApplication.class).web(WebApplicationType.REACTIVE)
                .run(args.toArray(String[]::new)), stub);
    }

    /**
     * Starts a gateway in jwt mode (issuer {@code timberdb-local}, audience {@code timberdb}) in
     * front of a loopback stub that plays both the issuer, publishing {@code key}'s public half at
     * {@code /jwks} (so the gateway fetches it over HTTP as from a real authorization server), and
     * the ingest service, answering every other request with {@code ingest}.
     */
    static RunningGateway startJwt(RSAKey key,
            BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> ingest, String... more) {
        DisposableServer stub = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/jwks", (request, response) -> response.header(HttpHeaders.CONTENT_TYPE,
                                "application/json").sendString(Mono.fromSupplier(() -> new JWKSet(key.toPublicJWK()).toString())))
                        .route(request -> true, ingest))
                .bindNow();
        List<String> args = new ArrayList<>(List.of("--timberdb.security.mode=jwt",
                "--timberdb.security.issuer-uri=timberdb-local",
                "--timberdb.security.jwk-set-uri=http://127.0.0.1:" + stub.port() + "/jwks",
                "--timberdb.security.audiences=timberdb"));
        args.addAll(List.of(more));
        return start(stub, args.toArray(String[]::new));
    }

    @Override
    public void close() {
        context.close();
        // the gateway's pooled connections to it outlive the gateway (reactor-netty's shared pool): do not wait
        ingest.dispose();
    }
}
