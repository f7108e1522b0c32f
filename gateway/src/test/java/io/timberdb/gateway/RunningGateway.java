package io.timberdb.gateway;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.DisposableServer;

/**
 * A gateway on a free loopback port whose ingest route goes to a test's stub server (the
 * coordinator and query routes go nowhere), and a client for it.
 */
final class RunningGateway implements AutoCloseable {

    final WebTestClient http;
    private final ConfigurableApplicationContext context;
    private final DisposableServer ingest;

    private RunningGateway(ConfigurableApplicationContext context, DisposableServer ingest) {
        this.context = context;
        this.ingest = ingest;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    /** Starts a gateway in front of {@code ingest}, with more {@code --property=value} arguments. */
    static RunningGateway start(DisposableServer ingest, String... more) {
        List<String> args = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=0",
                "--timberdb.gateway.coordinators=http://127.0.0.1:9", "--timberdb.gateway.query-url=http://127.0.0.1:9",
                "--timberdb.gateway.ingest-url=http://127.0.0.1:" + ingest.port()));
        args.addAll(List.of(more));
        return new RunningGateway(new SpringApplicationBuilder(GatewayApplication.class).web(WebApplicationType.REACTIVE)
                .run(args.toArray(String[]::new)), ingest);
    }

    @Override
    public void close() {
        context.close();
        // the gateway's pooled connections to it outlive the gateway (reactor-netty's shared pool): do not wait
        ingest.dispose();
    }
}
