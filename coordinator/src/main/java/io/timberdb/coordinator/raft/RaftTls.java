package io.timberdb.coordinator.raft;

import com.alipay.remoting.ExtendedNettyChannelHandler;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;

/**
 * TLS on a voter's Raft RPC connections, both ways: the Bolt server that peers call and the Bolt
 * client with which it calls them. Each new connection, accepted or opened, gets a Netty
 * {@link SslHandler} in front of Bolt's codec, over an {@link SSLEngine} asked for at that moment:
 * a supplier that reads the key material as it is now (a reloaded bundle) reaches the next
 * connections without a restart, while established ones keep theirs until they reconnect.
 *
 * <p>Not Bolt's own TLS settings ({@code bolt.server.ssl.*}, {@code bolt.client.ssl.*}, per
 * instance as options or, failing those, for the whole JVM as system properties read at each
 * connection): they want a keystore file and its password on disk, the same file serving as key
 * and trust store, and they leave out the bundle's protocols and ciphers. Here each voter's server
 * and client carry their own TLS through Bolt's per-instance {@code EXTENDED_NETTY_CHANNEL_HANDLER}
 * option (the client through {@link TlsRaftRpcFactory}); nothing is written to disk or set for the
 * whole JVM.
 *
 * <p>Peers are authenticated by the trust of the engines (the cluster CA) alone: the client does
 * not check that the certificate names the peer's host, as Bolt builds a connection's handlers
 * before it connects. With {@link #needClientAuth()} the server refuses a handshake that presents
 * no certificate the trust accepts (mutual TLS).
 *
 * <p>An immutable value; the supplier is called from Bolt's I/O threads and must be thread-safe.
 */
public final class RaftTls {

    private static final RaftTls NONE = new RaftTls(null, false);

    private final Supplier<SSLEngine> engines;
    private final boolean needClientAuth;

    private RaftTls(Supplier<SSLEngine> engines, boolean needClientAuth) {
        this.engines = engines;
        this.needClientAuth = needClientAuth;
    }

    /** Plain TCP, as before TLS was configured. */
    public static RaftTls none() {
        return NONE;
    }

    /**
     * TLS over the engines {@code engines} makes: a new one for each connection, holding this
     * voter's key pair (which it presents as server, and as client for mutual TLS) and the trust
     * that peers' certificates must chain to. The mode (client or server) is set here.
     *
     * @param needClientAuth whether the server refuses peers that present no trusted certificate
     */
    public static RaftTls of(Supplier<SSLEngine> engines, boolean needClientAuth) {
        return new RaftTls(Objects.requireNonNull(engines, "engines"), needClientAuth);
    }

    /** Whether connections use TLS. */
    public boolean enabled() {
        return engines != null;
    }

    /** Whether the server requires a trusted client certificate. */
    public boolean needClientAuth() {
        return needClientAuth;
    }

    /** Bolt's hook for a server: a TLS handler in front of each accepted connection. */
    ExtendedNettyChannelHandler serverHandlers() {
        return handlers(false);
    }

    /** Bolt's hook for a client: a TLS handler in front of each connection it opens. */
    ExtendedNettyChannelHandler clientHandlers() {
        return handlers(true);
    }

    private ExtendedNettyChannelHandler handlers(boolean client) {
        if (engines == null) {
            throw new IllegalStateException("TLS is not configured");
        }
        return new ExtendedNettyChannelHandler() {
            @Override
            public List<ChannelHandler> frontChannelHandlers() {
                // Bolt asks once per new channel: a handler (and an engine) of its own for each.
                return List.of(new SslHandler(engine(client)));
            }

            @Override
            public List<ChannelHandler> backChannelHandlers() {
                return List.of();
            }
        };
    }

    private SSLEngine engine(boolean client) {
        SSLEngine engine = engines.get();
        engine.setUseClientMode(client);
        if (!client) {
            engine.setNeedClientAuth(needClientAuth);
        }
        return engine;
    }

    @Override
    public String toString() {
        return engines == null ? "RaftTls[none]" : "RaftTls[clientAuth=" + (needClientAuth ? "need" : "none") + "]";
    }
}
