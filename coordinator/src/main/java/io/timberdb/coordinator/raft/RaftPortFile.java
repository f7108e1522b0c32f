package io.timberdb.coordinator.raft;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Raft port of a single-voter group (standalone mode), kept in the file {@value #FILE_NAME}
 * of its data directory so that it stays the same across restarts: the Raft log records the
 * voter's address, and a voter restarted on another port would not recognise itself.
 *
 * <p>File format: the port as ASCII decimal digits, optionally followed by a line feed.
 *
 * <p>Stateless; callers must not resolve the same directory concurrently.
 */
public final class RaftPortFile {

    /** The file name inside the data directory. */
    public static final String FILE_NAME = "raft-port";

    private RaftPortFile() {
    }

    /**
     * The port recorded in {@code dir}; on first start, {@code preferredPort} when it is free on
     * {@code host} (else any free port), recorded before it is returned.
     *
     * @param preferredPort the port to try first; 0 for any free port
     * @throws IOException when the directory or the file cannot be read or written
     */
    public static int resolve(Path dir, String host, int preferredPort) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            try {
                int port = Integer.parseInt(text);
                if (port > 0 && port < 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IOException(file + " does not hold a port number: '" + text + "'");
        }
        Files.createDirectories(dir);
        int port = preferredPort > 0 && isFree(host, preferredPort) ? preferredPort : freePort(host);
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.writeString(tmp, port + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return port;
    }

    private static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        }
    }
}
