package io.timberdb.model.web;

import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import reactor.core.publisher.Mono;

/**
 * A {@link ClientHttpConnector} that follows an SSL bundle's reloads: it hands every request to
 * the connector built from the bundle as it was last loaded, and builds a new one when the bundle
 * is updated ({@link #reload}).
 *
 * <p>Why a new connector rather than a new SSL context inside one: a reactor-netty
 * {@code HttpClient} makes its {@code SslProvider} when it is configured, not per connection, so
 * the only way to give new connections new key and trust material without reaching into its
 * internals is to build the client again. Boot's connector builder does that with the same
 * settings (timeouts, connection resources) as before. Reactor-netty keys its pooled connections
 * by the client's SSL provider, so a request through the new connector never reuses a connection
 * opened with the old material: every request after a reload opens its connections with the new
 * certificate. The old connector's open connections are not closed: a request already running on
 * one finishes on it, and idle ones stay in the pool, unused, until the server or the pool's idle
 * timeout closes them (their TLS session keeps the certificate it was opened with).
 *
 * <p>A bundle whose connector cannot be built (material that does not load) is logged and the
 * previous connector kept, so a bad file on disk never leaves the process without a client.
 *
 * <p>Thread-safety: the current connector is an {@link AtomicReference}, swapped by the bundle's
 * update handler (Boot's file watcher thread) and read by every request; connectors are
 * thread-safe.
 */
final class ReloadingConnector implements ClientHttpConnector {

    private static final Logger log = LoggerFactory.getLogger(ReloadingConnector.class);

    private final String bundle;
    private final Function<SslBundle, ClientHttpConnector> connectors;
    private final AtomicReference<ClientHttpConnector> current;

    ReloadingConnector(String bundle, SslBundle initial, Function<SslBundle, ClientHttpConnector> connectors) {
        this.bundle = bundle;
        this.connectors = connectors;
        this.current = new AtomicReference<>(connectors.apply(initial));
    }

    /** Builds the connector of {@code updated} and sends every later request through it. */
    void reload(SslBundle updated) {
        try {
            current.set(connectors.apply(updated));
            log.info("SSL bundle '{}' reloaded: new internal connections use its new material", bundle);
        } catch (RuntimeException e) {
            log.warn("SSL bundle '{}' was reloaded but no client could be built from it; keeping the previous one",
                    bundle, e);
        }
    }

    @Override
    public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
                                            Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
        // read at subscription, not at assembly: a retried request takes the connector of its attempt
        return Mono.defer(() -> current.get().connect(method, uri, requestCallback));
    }
}
