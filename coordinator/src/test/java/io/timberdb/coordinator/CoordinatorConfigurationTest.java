package io.timberdb.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.coordinator.raft.RaftTls;
import io.timberdb.model.web.InternalTls;
import io.timberdb.model.web.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.web.server.Ssl;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;

/** Which Raft TLS a coordinator's voter gets from the internal bundle and {@code server.ssl.client-auth}. */
class CoordinatorConfigurationTest {

    @TempDir
    static Path dir;

    private static TestCertificates certificates;

    @BeforeAll
    static void certificates() throws Exception {
        certificates = TestCertificates.authority(dir, "timberdb-test-ca");
        certificates.sign("coordinator-1");
    }

    @Test
    void withoutAnInternalBundleRaftStaysOnPlainTcp() {
        assertThat(CoordinatorConfiguration.raftTls(InternalTls.none(), Ssl.ClientAuth.NEED).enabled()).isFalse();
    }

    @Test
    void theInternalBundleGivesRaftTlsAndClientCertificatesAreRequiredAsOnTheHttpSide() {
        InternalTls tls = internal(new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate(uri(certificates.certPem("coordinator-1")))
                        .withPrivateKey(uri(certificates.keyPem("coordinator-1"))),
                PemSslStoreDetails.forCertificate(uri(certificates.caPem()))));

        RaftTls need = CoordinatorConfiguration.raftTls(tls, Ssl.ClientAuth.NEED);
        assertThat(need.enabled()).isTrue();
        assertThat(need.needClientAuth()).isTrue();
        assertThat(CoordinatorConfiguration.raftTls(tls, Ssl.ClientAuth.WANT).needClientAuth()).isFalse();
        assertThat(CoordinatorConfiguration.raftTls(tls, Ssl.ClientAuth.NONE).needClientAuth()).isFalse();
    }

    @Test
    void aBundleWithoutAKeyPairIsRefusedAtStart() {
        InternalTls trustOnly = internal(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate(uri(certificates.caPem()))));

        assertThatThrownBy(() -> CoordinatorConfiguration.raftTls(trustOnly, Ssl.ClientAuth.NONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("timberdb.internal-tls.bundle").hasMessageContaining("no keystore");
    }

    private static InternalTls internal(PemSslStoreBundle stores) {
        // the bundle's Raft side alone is looked at; the WebClients' connector is a plain one
        return InternalTls.of("internal", new DefaultSslBundleRegistry("internal", SslBundle.of(stores)),
                ssl -> new ReactorClientHttpConnector());
    }

    private static String uri(Path file) {
        return file.toUri().toString();
    }
}
