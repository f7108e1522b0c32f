package io.timberdb.model.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.webclient.autoconfigure.WebClientSsl;
import org.springframework.web.reactive.function.client.WebClient;

/** Which bundle the internal clients get, and when: none unless named, a missing one refused at start. */
class InternalTlsTest {

    /** Records the bundles asked for, as Boot's would apply them. */
    private static final class RecordingSsl implements WebClientSsl {
        final List<String> asked = new ArrayList<>();

        @Override
        public Consumer<WebClient.Builder> fromBundle(String bundleName) {
            asked.add(bundleName);
            return builder -> { };
        }

        @Override
        public Consumer<WebClient.Builder> fromBundle(SslBundle bundle) {
            throw new AssertionError("bundles are applied by name");
        }
    }

    @Test
    void aBlankNameLeavesTheClientsAsTheyAre() throws Exception {
        RecordingSsl ssl = new RecordingSsl();
        InternalTls tls = InternalTls.of(" ", new DefaultSslBundleRegistry(), ssl);
        assertThat(tls.configured()).isFalse();
        WebClient.Builder builder = WebClient.builder();
        assertThat(tls.applyTo(builder)).isSameAs(builder);
        assertThat(ssl.asked).isEmpty();
        assertThat(tls.applyTo(HttpClient.newBuilder()).build().sslContext()).isSameAs(SSLContext.getDefault());
    }

    @Test
    void aMissingBundleIsRefusedAtStart() {
        assertThatThrownBy(() -> InternalTls.of("internal", new DefaultSslBundleRegistry(), new RecordingSsl()))
                .isInstanceOf(NoSuchSslBundleException.class);
    }

    @Test
    void theNamedBundleReachesBothKindsOfClientAndItsReloads() throws Exception {
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("internal", SslBundle.of(SslStoreBundle.NONE));
        RecordingSsl ssl = new RecordingSsl();
        InternalTls tls = InternalTls.of("internal", bundles, ssl);
        assertThat(tls.configured()).isTrue();

        tls.applyTo(WebClient.builder());
        assertThat(ssl.asked).containsExactly("internal");
        assertThat(tls.applyTo(HttpClient.newBuilder()).build().sslContext()).isNotSameAs(SSLContext.getDefault());

        AtomicInteger reloads = new AtomicInteger();
        tls.onUpdate(reloads::incrementAndGet);
        bundles.updateBundle("internal", SslBundle.of(SslStoreBundle.NONE));
        assertThat(reloads).hasValue(1);
    }

    @Test
    void enginesComeFromTheBundleAsItIsNowWithItsProtocolsAndCiphers() throws Exception {
        assertThatThrownBy(() -> InternalTls.none().newEngine()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(InternalTlsConfiguration.BUNDLE_PROPERTY);
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("internal", SslBundle.of(SslStoreBundle.NONE));
        InternalTls tls = InternalTls.of("internal", bundles, new RecordingSsl());
        assertThat(tls.newEngine().getEnabledProtocols()).contains("TLSv1.3", "TLSv1.2");

        bundles.updateBundle("internal", SslBundle.of(SslStoreBundle.NONE, null,
                SslOptions.of(new String[] {"TLS_AES_256_GCM_SHA384"}, new String[] {"TLSv1.3"})));

        SSLEngine engine = tls.newEngine();
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3");
        assertThat(engine.getEnabledCipherSuites()).containsExactly("TLS_AES_256_GCM_SHA384");
        assertThat(tls.current()).isSameAs(bundles.getBundle("internal"));
    }
}
