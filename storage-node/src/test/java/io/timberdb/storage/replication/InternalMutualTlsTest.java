package io.timberdb.storage.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.timberdb.model.shard.ShardId;
import io.timberdb.model.web.ClusterCredential;
import io.timberdb.model.web.InternalTls;
import io.timberdb.model.web.TestCertificates;
import io.timberdb.storage.StorageNodeApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Mutual TLS on a storage node's internal routes: the node serves HTTPS from a PEM bundle with
 * {@code server.ssl.client-auth: need} and the cluster CA as truststore, and its own internal
 * clients use the bundle named by {@code timberdb.internal-tls.bundle} (the CA and a client key
 * pair). A CA, two server certificates and a client certificate are made at test time by the JDK's
 * {@code keytool} ({@link TestCertificates}, from shared-model's test-jar). Shown: a client with
 * the internal bundle is answered, one without a client certificate is refused in the handshake,
 * and a server certificate replaced on disk is presented to new connections without a restart.
 */
@SpringBootTest(classes = StorageNodeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InternalMutualTlsTest {

    @TempDir
    static Path dir;

    private static TestCertificates certificates;
    private static X509Certificate firstServer;
    private static X509Certificate secondServer;

    @LocalServerPort
    int port;

    @Autowired
    InternalTls tls;

    @Autowired
    WebClient.Builder webClient;

    @Autowired
    SslBundles bundles;

    @BeforeAll
    static void certificates() throws Exception {
        certificates = TestCertificates.authority(dir, "timberdb-test-ca");
        firstServer = certificates.sign("server-1");
        secondServer = certificates.sign("server-2");
        certificates.sign("client-1");
        TestCertificates.install(certificates.dir("server-1"), dir.resolve("live"));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.address", () -> "127.0.0.1");
        registry.add("timberdb.data-dir", () -> dir.resolve("data").toString());
        registry.add("timberdb.coordinators", () -> "http://127.0.0.1:9");
        registry.add("server.ssl.bundle", () -> "node");
        registry.add("server.ssl.client-auth", () -> "need");
        registry.add("spring.ssl.bundle.pem.node.reload-on-update", () -> "true");
        registry.add("spring.ssl.bundle.pem.node.keystore.certificate", () -> dir.resolve("live/cert.pem").toUri().toString());
        registry.add("spring.ssl.bundle.pem.node.keystore.private-key", () -> dir.resolve("live/key.pem").toUri().toString());
        registry.add("spring.ssl.bundle.pem.node.truststore.certificate", () -> dir.resolve("ca.pem").toUri().toString());
        registry.add("spring.ssl.bundle.watch.file.quiet-period", () -> "1s");
        registry.add("timberdb.internal-tls.bundle", () -> "internal");
        registry.add("spring.ssl.bundle.pem.internal.keystore.certificate", () -> dir.resolve("client-1/cert.pem").toUri().toString());
        registry.add("spring.ssl.bundle.pem.internal.keystore.private-key", () -> dir.resolve("client-1/key.pem").toUri().toString());
        registry.add("spring.ssl.bundle.pem.internal.truststore.certificate", () -> dir.resolve("ca.pem").toUri().toString());
    }

    @Test
    void aClientWithTheInternalBundleIsAnswered() throws Exception {
        assertThat(tls.configured()).isTrue();
        ResponseEntity<String> version = tls.applyTo(webClient).build().get()
                .uri("https://127.0.0.1:" + port + "/internal/v1/shards/p/0/version")
                .retrieve().toEntity(String.class).block(Duration.ofSeconds(30));
        assertThat(version.getStatusCode().value()).isEqualTo(200);

        // the replication client: through the handshake to the route, which answers that this node leads nothing
        PeerClient peers = new PeerClient(ClusterCredential.none(), tls);
        assertThatThrownBy(() -> peers.endOfEpoch("https://127.0.0.1:" + port, new ShardId("p", 0), 0))
                .isInstanceOfSatisfying(PeerClient.RefusedException.class,
                        refused -> assertThat(refused.getMessage()).contains("NOT_LEADER"));
    }

    @Test
    void aClientWithoutACertificateIsRefusedInTheHandshake() throws Exception {
        HttpClient anonymous = HttpClient.newBuilder().sslContext(context(false)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/internal/v1/shards/p/0/version"))
                .timeout(Duration.ofSeconds(30)).build();
        // No answer at all, only an I/O failure. Which one depends on timing: in TLS 1.3 the client
        // finishes its side of the handshake before the server has checked (and refused) the
        // missing certificate, so the client sees the server's alert (an SSLException), or a reset
        // or closed connection where it expected the response headers.
        assertThatThrownBy(() -> anonymous.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);

        // the same trust with the client key pair is answered
        HttpClient member = HttpClient.newBuilder().sslContext(context(true)).build();
        assertThat(member.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void aReplacedServerCertificateIsPresentedWithoutARestart() throws Exception {
        assertThat(served()).isEqualTo(firstServer);
        TestCertificates.install(certificates.dir("server-2"), dir.resolve("live"));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> served().equals(secondServer));
        // still the same node, still mutual TLS: the internal bundle is answered, on a new connection
        PeerClient peers = new PeerClient(ClusterCredential.none(), tls);
        assertThatThrownBy(() -> peers.endOfEpoch("https://127.0.0.1:" + port, new ShardId("p", 0), 0))
                .isInstanceOf(PeerClient.RefusedException.class);
    }

    /** The certificate the node presents in a new handshake of a client with the client key pair. */
    private X509Certificate served() throws Exception {
        try (SSLSocket socket = (SSLSocket) context(true).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** Trusting the test CA; with the client's key pair when {@code withKey}. */
    private SSLContext context(boolean withKey) throws Exception {
        return withKey ? bundles.getBundle("internal").createSslContext() : certificates.context(null);
    }
}
