package io.timberdb.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.raft.RaftTestCluster;
import io.timberdb.model.web.TestCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A coordinator application whose {@code timberdb.internal-tls.bundle} is set serves its Raft port
 * over TLS with the bundle's key pair, and with {@code server.ssl.client-auth: need} refuses a
 * Raft client without a certificate; its single-voter group still elects itself.
 */
class CoordinatorRaftTlsIT {

    @TempDir
    Path dir;

    @Test
    void theInternalBundleIsServedOnTheRaftPortWithClientCertificatesRequired() throws Exception {
        TestCertificates certificates = TestCertificates.authority(dir.resolve("tls"), "timberdb-test-ca");
        X509Certificate own = certificates.sign("coordinator-1");
        certificates.sign("coordinator-2");
        int http = RaftTestCluster.freePort();
        int raft = RaftTestCluster.freePort();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CoordinatorApplication.class).run(
                "--server.port=" + http,
                "--server.address=127.0.0.1",
                "--server.ssl.bundle=internal",
                "--server.ssl.client-auth=need",
                "--timberdb.node-id=coordinator-1",
                "--timberdb.data-dir=" + dir.resolve("data"),
                "--timberdb.coordinator.voters=coordinator-1@127.0.0.1:" + raft + "@https://127.0.0.1:" + http,
                "--timberdb.internal-tls.bundle=internal",
                "--spring.ssl.bundle.pem.internal.keystore.certificate=" + certificates.certPem("coordinator-1").toUri(),
                "--spring.ssl.bundle.pem.internal.keystore.private-key=" + certificates.keyPem("coordinator-1").toUri(),
                "--spring.ssl.bundle.pem.internal.truststore.certificate=" + certificates.caPem().toUri())) {
            MetadataGroup group = app.getBean(MetadataGroup.class);
            await().atMost(Duration.ofSeconds(30)).until(group::isLeader);

            // another coordinator's key pair gets through and is shown this one's certificate
            try (SSLSocket peer = socket(certificates.context("coordinator-2"), raft)) {
                peer.startHandshake();
                assertThat(peer.getSession().getPeerCertificates()[0]).isEqualTo(own);
            }
            // a client with the cluster's trust but no certificate is refused by the server: in
            // TLS 1.3 its handshake ends before the server's check, so the refusal comes with its
            // first read, as the server's alert (an SSLException) or, by timing, a reset connection
            try (SSLSocket anonymous = socket(certificates.context(null), raft)) {
                anonymous.setSoTimeout(30_000);
                assertThatThrownBy(() -> {
                    anonymous.startHandshake();
                    anonymous.getInputStream().read();
                }).isInstanceOf(IOException.class);
            }
        }
    }

    private static SSLSocket socket(SSLContext context, int port) throws Exception {
        return (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    }
}
