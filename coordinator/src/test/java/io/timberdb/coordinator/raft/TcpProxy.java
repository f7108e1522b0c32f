package io.timberdb.coordinator.raft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on the loopback address in front of one voter's Raft server, so that a test can
 * cut the voter off: while cut, new connections are accepted and reset at once, and the
 * established ones are dropped (both sides closed). Peers reach the voter only through it.
 *
 * <p>Thread-safety: {@link #cut()}, {@link #restore()} and {@link #close()} may be called from any
 * thread; one acceptor thread and two pump threads per connection do the copying.
 */
final class TcpProxy implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    private final String name;
    private final ServerSocket server;
    private final InetSocketAddress target;
    /** Both sockets of every established connection, to drop them when cut. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** Volatile: flipped by the test thread, read by the acceptor. */
    private volatile boolean cut;
    private volatile boolean closed;

    /**
     * Listens on {@code 127.0.0.1:listenPort} and forwards to {@code 127.0.0.1:targetPort}.
     */
    TcpProxy(String name, int listenPort, int targetPort) {
        this.name = name;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.target = new InetSocketAddress(loopback, targetPort);
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(loopback, listenPort));
        } catch (IOException e) {
            throw new UncheckedIOException("proxy " + name + " cannot listen on " + listenPort, e);
        }
        Thread acceptor = new Thread(this::accept, "tcp-proxy-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Refuses new connections and drops the established ones until {@link #restore()}. */
    void cut() {
        cut = true;
        open.forEach(TcpProxy::reset);
        open.clear();
    }

    /** Lets connections through again. */
    void restore() {
        cut = false;
    }

    boolean isCut() {
        return cut;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        cut();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                reset(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 1000);
            } catch (IOException e) {
                reset(client); // the voter is stopped: refuse like it would
                reset(upstream);
                continue;
            }
            open.add(client);
            open.add(upstream);
            pump(client, upstream, "up");
            pump(upstream, client, "down");
            if (cut) { // cut between the check and registration
                reset(client);
                reset(upstream);
            }
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[BUFFER];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // dropped, or the other side closed
            } finally {
                reset(from);
                reset(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-" + name + "-" + direction);
        thread.setDaemon(true);
        thread.start();
    }

    /** Closes with a reset (linger 0), as a network failure looks to both sides. */
    private static void reset(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0);
            }
        } catch (SocketException e) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
