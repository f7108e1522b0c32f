package io.timberdb.model.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** Which bundle the internal clients get, and when: none unless named, a missing one refused at start. */
class InternalTlsTest {

    /** Records the bundles connectors are built from; each connector answers with its number. */
    private static final class RecordingConnectors implements Function<SslBundle, ClientHttpConnector> {
        final List<SslBundle> built = new ArrayList<>();

        @Override
        public ClientHttpConnector apply(SslBundle bundle) {
            built.add(bundle);
            int number = built.size();
            return (method, uri, callback) -> Mono.error(new IllegalStateException("connector " + number));
        }
    }

    @Test
    void aBlankNameLeavesTheClientsAsTheyAre() throws Exception {
        RecordingConnectors connectors = new RecordingConnectors();
        InternalTls tls = InternalTls.of(" ", new DefaultSslBundleRegistry(), connectors);
        assertThat(tls.configured()).isFalse();
        WebClient.Builder builder = WebClient.builder();
        assertThat(tls.applyTo(builder)).isSameAs(builder);
        assertThat(connectors.built).isEmpty();
        assertThat(tls.applyTo(HttpClient.newBuilder()).build().sslContext()).isSameAs(SSLContext.getDefault());
    }

    @Test
    void aMissingBundleIsRefusedAtStart() {
        assertThatThrownBy(() -> InternalTls.of("internal", new DefaultSslBundleRegistry(), new RecordingConnectors()))
                .isInstanceOf(NoSuchSslBundleException.class);
    }

    @Test
    void theNamedBundleReachesBothKindsOfClientAndItsReloads() throws Exception {
        SslBundle first = SslBundle.of(SslStoreBundle.NONE);
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("internal", first);
        RecordingConnectors connectors = new RecordingConnectors();
        InternalTls tls = InternalTls.of("internal", bundles, connectors);
        assertThat(tls.configured()).isTrue();
        assertThat(connectors.built).containsExactly(first);

        WebClient client = tls.applyTo(WebClient.builder()).build();
        assertThat(connectorOf(client)).isEqualTo("connector 1");
        assertThat(tls.applyTo(HttpClient.newBuilder()).build().sslContext()).isNotSameAs(SSLContext.getDefault());

        AtomicInteger reloads = new AtomicInteger();
        tls.onUpdate(reloads::incrementAndGet);
        SslBundle second = SslBundle.of(SslStoreBundle.NONE);
        bundles.updateBundle("internal", second);
        assertThat(reloads).hasValue(1);
        // the client built before the reload now connects through the connector of the new bundle
        assertThat(connectors.built).containsExactly(first, second);
        assertThat(connectorOf(client)).isEqualTo("connector 2");
    }

    @Test
    void aReloadWhoseConnectorCannotBeBuiltKeepsThePreviousOne() {
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("internal", SslBundle.of(SslStoreBundle.NONE));
        RecordingConnectors connectors = new RecordingConnectors();
        InternalTls tls = InternalTls.of("internal", bundles, bundle -> {
            if (!connectors.built.isEmpty()) {
                throw new IllegalStateException("unreadable key");
            }
            return connectors.apply(bundle);
        });
        WebClient client = tls.applyTo(WebClient.builder()).build();
        bundles.updateBundle("internal", SslBundle.of(SslStoreBundle.NONE));
        assertThat(connectorOf(client)).isEqualTo("connector 1");
    }

    /** Which recorded connector a request of {@code client} went through. */
    private static String connectorOf(WebClient client) {
        return client.get().uri("https://127.0.0.1:9/").retrieve().bodyToMono(String.class)
                .map(body -> "answered").onErrorResume(e -> Mono.just(rootCause(e).getMessage()))
                .block(Duration.ofSeconds(10));
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void enginesComeFromTheBundleAsItIsNowWithItsProtocolsAndCiphers() throws Exception {
        assertThatThrownBy(() -> InternalTls.none().newEngine()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(InternalTlsConfiguration.BUNDLE_PROPERTY);
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("internal", SslBundle.of(SslStoreBundle.NONE));
        InternalTls tls = InternalTls.of("internal", bundles, new RecordingConnectors());
        assertThat(tls.newEngine().getEnabledProtocols()).contains("TLSv1.3", "TLSv1.2");

        bundles.updateBundle("internal", SslBundle.of(SslStoreBundle.NONE, null,
                SslOptions.of(new String[] {"TLS_AES_256_GCM_SHA384"}, new String[] {"TLSv1.3"})));

        SSLEngine engine = tls.newEngine();
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3");
        assertThat(engine.getEnabledCipherSuites()).containsExactly("TLS_AES_256_GCM_SHA384");
        assertThat(tls.current()).isSameAs(bundles.getBundle("internal"));
    }
}
