package io.timberdb.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The syslog sender against a loopback listener that stores (counts) a connection's frames once
 * the connection ends: every batch arrives whole, and the send lasts until the count has them all.
 */
class SyslogSenderTest {

    private ServerSocket listener;
    private final Queue<String> received = new ConcurrentLinkedQueue<>();
    private final AtomicLong stored = new AtomicLong();
    private Thread acceptor;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    new Thread(() -> store(socket)).start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.start();
    }

    @AfterEach
    void close() throws Exception {
        listener.close();
        acceptor.join();
    }

    /** Reads a connection to its end, splits its octet-counted frames, then counts them as stored. */
    private void store(Socket socket) {
        try (socket; InputStream in = socket.getInputStream()) {
            String stream = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> frames = new ArrayList<>();
            for (int at = 0; at < stream.length(); ) {
                int space = stream.indexOf(' ', at);
                int length = Integer.parseInt(stream.substring(at, space));
                frames.add(stream.substring(space + 1, space + 1 + length));
                at = space + 1 + length;
            }
            received.addAll(frames);
            stored.addAndGet(frames.size());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private SyslogSender sender(Duration stall) {
        return new SyslogSender(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), stall);
    }

    @Test
    void writesEveryBatchOverTheConnectionsAndLastsUntilTheCountHoldsThemAll() {
        List<byte[]> bodies = new ArrayList<>();
        List<String> frames = new ArrayList<>();
        int[] entries = new int[20];
        for (int b = 0; b < entries.length; b++) {
            StringBuilder body = new StringBuilder();
            entries[b] = 1 + b % 4;
            for (int e = 0; e < entries[b]; e++) {
                String frame = "<13>1 - - - - - - batch " + b + " entry " + e;
                frames.add(frame);
                body.append(frame.length()).append(' ').append(frame);
            }
            bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        stored.set(7); // what earlier sends left in the partition

        ProtocolSender.Result result = sender(Duration.ofMinutes(5)).send(stored::get, bodies, entries, 18, 3);

        List<String> sent = frames.stream()
                .filter(f -> !f.contains("batch 18 ") && !f.contains("batch 19 ")).toList();
        assertThat(result.entries()).isEqualTo(sent.size());
        assertThat(result.bytes()).isEqualTo(bodies.subList(0, 18).stream().mapToLong(b -> b.length).sum());
        assertThat(stored.get()).isEqualTo(7 + sent.size());
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void failsWhenTheCountStallsShortOfTheEntriesSent() {
        byte[] body = "9 <13>1 - x".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> sender(Duration.ofMillis(100)).send(() -> 0, List.of(body), new int[] {1}, 1, 1))
                .isInstanceOf(LoadFailed.class).hasMessageContaining("holds 0 of the 1 entries sent");
    }

    @Test
    void failsWhenTheCountPassesTheEntriesSent() {
        byte[] body = "9 <13>1 - x".getBytes(StandardCharsets.UTF_8);
        AtomicLong calls = new AtomicLong();
        assertThatThrownBy(() -> sender(Duration.ofMinutes(5))
                .send(() -> calls.getAndIncrement() == 0 ? 0 : 5, List.of(body), new int[] {1}, 1, 1))
                .isInstanceOf(LoadFailed.class).hasMessageContaining("more than the 1 sent");
    }

    @Test
    void refusesAListenerThatIsNotLoopback() {
        assertThatThrownBy(() -> new SyslogSender(new InetSocketAddress("192.0.2.1", 514), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }
}
