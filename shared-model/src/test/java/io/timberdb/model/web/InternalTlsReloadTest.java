package io.timberdb.model.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The internal {@code WebClient}s follow their SSL bundle's reloads: a server on a loopback port
 * with {@code client-auth: need} trusts one CA and answers with the subject of the client
 * certificate it was shown. One {@code WebClient}, built once through {@link InternalTls}, calls it
 * while the client key pair on disk is replaced, as an operator would, by one of another CA (the
 * next connections are refused in the handshake) and then by a second key pair of the trusted CA
 * (the next connections are answered, presenting it), without a restart or a new client.
 */
@SpringBootTest(classes = InternalTlsReloadTest.WhoAmI.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InternalTlsReloadTest {

    @TempDir
    static Path dir;

    private static TestCertificates cluster;
    private static TestCertificates stranger;

    @LocalServerPort
    int port;

    @Autowired
    InternalTls tls;

    @Autowired
    WebClient.Builder builder;

    /** A server that names the client certificate each request was made with. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(InternalTlsConfiguration.class)
    static class WhoAmI {

        @Bean
        RouterFunction<ServerResponse> whoAmI() {
            return RouterFunctions.route(RequestPredicates.GET("/whoami"), request -> {
                SslInfo ssl = request.exchange().getRequest().getSslInfo();
                X509Certificate client = ssl.getPeerCertificates()[0];
                return ServerResponse.ok().bodyValue(client.getSubjectX500Principal().getName());
            });
        }
    }

    @BeforeAll
    static void certificates() throws Exception {
        cluster = TestCertificates.authority(dir.resolve("cluster"), "cluster-ca");
        cluster.sign("server");
        cluster.sign("client-1");
        cluster.sign("client-2");
        stranger = TestCertificates.authority(dir.resolve("stranger"), "stranger-ca");
        stranger.sign("client-x");
        TestCertificates.install(cluster.dir("client-1"), dir.resolve("live"));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("server.ssl.bundle", () -> "server");
        registry.add("server.ssl.client-auth", () -> "need");
        registry.add("spring.ssl.bundle.pem.server.keystore.certificate",
                () -> cluster.certPem("server").toUri().toString());
        registry.add("spring.ssl.bundle.pem.server.keystore.private-key",
                () -> cluster.keyPem("server").toUri().toString());
        registry.add("spring.ssl.bundle.pem.server.truststore.certificate", () -> cluster.caPem().toUri().toString());
        registry.add("timberdb.internal-tls.bundle", () -> "internal");
        registry.add("spring.ssl.bundle.pem.internal.reload-on-update", () -> "true");
        registry.add("spring.ssl.bundle.pem.internal.keystore.certificate",
                () -> dir.resolve("live/cert.pem").toUri().toString());
        registry.add("spring.ssl.bundle.pem.internal.keystore.private-key",
                () -> dir.resolve("live/key.pem").toUri().toString());
        registry.add("spring.ssl.bundle.pem.internal.truststore.certificate", () -> cluster.caPem().toUri().toString());
        registry.add("spring.ssl.bundle.watch.file.quiet-period", () -> "1s");
    }

    @Test
    void aReplacedClientCertificateReachesNewConnectionsWithoutARestart() throws Exception {
        WebClient client = tls.applyTo(builder).build();
        assertThat(caller(client)).isEqualTo("CN=client-1");

        // a key pair the server does not trust: once the bundle is reloaded, the next connection is refused
        TestCertificates.install(stranger.dir("client-x"), dir.resolve("live"));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> caller(client).equals("refused"));

        // a trusted one again, not the first: the next connection presents it
        TestCertificates.install(cluster.dir("client-2"), dir.resolve("live"));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> caller(client).equals("CN=client-2"));
    }

    /** The subject of the client certificate the server saw, or {@code refused}. */
    private String caller(WebClient client) {
        try {
            return client.get().uri("https://127.0.0.1:" + port + "/whoami").retrieve().bodyToMono(String.class)
                    .block(Duration.ofSeconds(30));
        } catch (WebClientRequestException e) {
            return "refused";
        }
    }
}
