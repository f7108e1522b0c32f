package io.timberdb.model.web;

import java.net.http.HttpClient;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * TLS on a process's calls to the other processes of its cluster: the Spring Boot SSL bundle named
 * by {@code timberdb.internal-tls.bundle} ({@code TIMBERDB_INTERNAL_TLS_BUNDLE}), with the cluster
 * CA as truststore and, for mutual TLS, this process's client key pair. Not configured: the clients
 * are built as before, and {@code https://} URLs are checked against the JDK's default trust only.
 *
 * <p>Applied to every internal {@link WebClient}, to the JDK {@link HttpClient} of the storage
 * node's replication and, through {@link #newEngine}, to the coordinators' Raft connections. A
 * bundle replaced on disk ({@code reload-on-update}) reaches all of them without a restart: the
 * {@code WebClient}s share one {@link ReloadingConnector}, which builds a new connector from the
 * updated bundle (Boot's connector builder and HTTP client settings, as {@code WebClientSsl}
 * would) and sends every later request through it, so new connections present the new client
 * certificate and check the new trust; connections opened before the reload keep their TLS
 * session until they close. The JDK client is rebuilt by its owner through {@link #onUpdate}; the
 * next Raft connections take the bundle as it is then.
 *
 * <p>Thread-safety: immutable but for the shared connector, which is thread-safe;
 * {@link SslBundles} is thread-safe.
 */
public final class InternalTls {

    private static final InternalTls NONE = new InternalTls(null, null, null);

    private final String bundle;
    private final SslBundles bundles;
    private final ReloadingConnector connector;

    private InternalTls(String bundle, SslBundles bundles, ReloadingConnector connector) {
        this.bundle = bundle;
        this.bundles = bundles;
        this.connector = connector;
    }

    /** No internal TLS configuration: clients as Boot builds them. */
    public static InternalTls none() {
        return NONE;
    }

    /**
     * The bundle {@code bundle} of {@code bundles}; blank means none. The {@code WebClient}s'
     * connector is built now and again on each reload of the bundle.
     *
     * @param connectors builds a client connector with the trust and key material of a bundle
     * @throws org.springframework.boot.ssl.NoSuchSslBundleException when no such bundle is
     *         configured (the process must not start calling its peers without the TLS it was given)
     */
    public static InternalTls of(String bundle, SslBundles bundles, Function<SslBundle, ClientHttpConnector> connectors) {
        if (bundle == null || bundle.isBlank()) {
            return NONE;
        }
        String name = bundle.strip();
        ReloadingConnector connector = new ReloadingConnector(name, bundles.getBundle(name), connectors);
        bundles.addBundleUpdateHandler(name, connector::reload);
        return new InternalTls(name, bundles, connector);
    }

    /** Whether a bundle is configured. */
    public boolean configured() {
        return bundle != null;
    }

    /**
     * {@code builder} with the bundle's trust and key material, when one is configured: its
     * connector is the shared one that follows the bundle's reloads.
     */
    public WebClient.Builder applyTo(WebClient.Builder builder) {
        return bundle == null ? builder : builder.clientConnector(connector);
    }

    /** {@code builder} with an {@link SSLContext} of the bundle as it is now, when one is configured. */
    public HttpClient.Builder applyTo(HttpClient.Builder builder) {
        if (bundle == null) {
            return builder;
        }
        return builder.sslContext(current().createSslContext());
    }

    /**
     * The bundle as it is now: after a reload from disk, the reloaded one.
     *
     * @throws IllegalStateException when no bundle is configured
     */
    public SslBundle current() {
        if (bundle == null) {
            throw new IllegalStateException("no internal TLS bundle is configured (" + InternalTlsConfiguration.BUNDLE_PROPERTY + ")");
        }
        return bundles.getBundle(bundle);
    }

    /**
     * A new {@link SSLEngine} of the bundle as it is now, limited to the bundle's protocols and
     * ciphers when it names any, for a client or server that builds its own connections (the
     * coordinators' Raft RPC). Its mode, client or server, is left to the caller.
     *
     * @throws IllegalStateException when no bundle is configured
     */
    public SSLEngine newEngine() {
        SslBundle current = current();
        SSLEngine engine = current.createSslContext().createSSLEngine();
        SslOptions options = current.getOptions();
        if (options.getEnabledProtocols() != null) {
            engine.setEnabledProtocols(options.getEnabledProtocols());
        }
        if (options.getCiphers() != null) {
            engine.setEnabledCipherSuites(options.getCiphers());
        }
        return engine;
    }

    /** Runs {@code action} each time the bundle is reloaded from disk; nothing when none is configured. */
    public void onUpdate(Runnable action) {
        if (bundle != null) {
            Consumer<SslBundle> handler = updated -> action.run();
            bundles.addBundleUpdateHandler(bundle, handler);
        }
    }

    @Override
    public String toString() {
        return bundle == null ? "InternalTls[none]" : "InternalTls[" + bundle + "]";
    }
}
