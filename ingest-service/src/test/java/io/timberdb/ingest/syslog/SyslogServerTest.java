package io.timberdb.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.timberdb.ingest.push.PushFixture;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The listeners on real loopback sockets over an in-memory store: both TCP framings and UDP are
 * stored and mapped; refused frames, oversized datagrams and malformed messages store nothing and
 * are counted; a busy store is retried while the connection waits; a hanging one bounds what is
 * asked of a connection and makes UDP drop beyond its queue.
 */
class SyslogServerTest {

    final List<LogEntry> written = new CopyOnWriteArrayList<>();
    final AtomicInteger busyWrites = new AtomicInteger();
    /** When set, every write hangs (until the test ends): a write path that is busy for good. */
    volatile boolean hang;
    final AtomicInteger writesStarted = new AtomicInteger();
    final MeterRegistry metrics = new SimpleMeterRegistry();
    SyslogServer server;
    EntryRouter router;
    SyslogProperties props;

    void start(String partition, int maxPending) {
        ShardWriter store = (node, shard, entries) -> {
            writesStarted.incrementAndGet();
            if (hang) {
                return Mono.never();
            }
            return busyWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0
                    ? Mono.error(new TimberException(ErrorCode.UNAVAILABLE, "busy"))
                    : Mono.fromRunnable(() -> written.addAll(entries));
        };
        ClusterViewSource view = ClusterViewSource.fixed(new ClusterView(1, null, List.of(),
                List.of(PushFixture.partition("p-1", "syslog", 2))));
        router = new EntryRouter(view, store, InstantSource.fixed(PushFixture.NOW));
        props = new SyslogProperties("127.0.0.1", partition, new SyslogProperties.Listener(true, 0),
                new SyslogProperties.Listener(true, 0), DataSize.ofBytes(200), DataSize.ofBytes(200), 3,
                Duration.ofMillis(20), 2, maxPending, ZoneOffset.UTC);
        server = new SyslogServer(props, router, InstantSource.fixed(PushFixture.NOW), metrics);
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    double count(String transport, String outcome) {
        return metrics.get(SyslogIntake.METRIC).tag("transport", transport).tag("outcome", outcome).counter().count();
    }

    void sendTcp(String stream) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.tcpPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(stream.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    void sendUdp(byte[]... datagrams) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (byte[] datagram : datagrams) {
                socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), server.udpPort()));
            }
        }
    }

    List<String> messages() {
        return written.stream().map(LogEntry::message).toList();
    }

    @Test
    void storesBothTcpFramingsAndSkipsRefusedAndMalformedFrames() throws IOException {
        start("syslog", 100);
        String counted = "<165>1 2003-10-11T22:14:15.003Z web-1 app 42 M7 [o@1 k=\"v\"] counted";
        sendTcp(counted.length() + " " + counted
                + "<34>Oct 11 22:14:15 web-2 su: newline\r\n"
                + "<13>" + "x".repeat(300) + "\n" // a line above the maximum: refused, skipped
                + "no pri here\n" // malformed: dropped
                + "<13>1 - - - - - - last line without LF");

        await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 3);
        assertThat(messages()).containsExactlyInAnyOrder("counted", "newline", "last line without LF");
        LogEntry first = written.stream().filter(e -> e.message().equals("counted")).findFirst().orElseThrow();
        assertThat(first.source()).isEqualTo("web-1");
        assertThat(first.timestamp()).isEqualTo(Instant.parse("2003-10-11T22:14:15.003Z"));
        assertThat(first.tags()).containsEntry("facility", "local4").containsEntry("level", "info")
                .containsEntry("app", "app").containsEntry("procid", "42").containsEntry("msgid", "M7")
                .containsEntry("sd.o@1.k", "v");
        LogEntry last = written.stream().filter(e -> e.message().startsWith("last")).findFirst().orElseThrow();
        assertThat(last.source()).as("no HOSTNAME: the peer's address").isEqualTo("127.0.0.1");
        assertThat(last.timestamp()).as("no TIMESTAMP: the receive time").isEqualTo(PushFixture.NOW);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("tcp", "received") == 5);
        assertThat(count("tcp", "stored")).isEqualTo(3);
        assertThat(count("tcp", "refused")).isEqualTo(1);
        assertThat(count("tcp", "malformed")).isEqualTo(1);
    }

    @Test
    void closesAConnectionWhoseOctetCountIsTooLargeAndStoresNothingOfIt() throws IOException {
        start("syslog", 100);
        sendTcp("17 <13>1 - - - - - -999999999999 <13>1 - - - - - - refused 9 <13>after");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("tcp", "refused") == 1);
        sendTcp("<13>1 - - - - - - next connection\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("tcp", "stored") == 2);
        assertThat(messages()).containsExactlyInAnyOrder("", "next connection");
    }

    @Test
    void storesUdpDatagramsAndRefusesOversizedOnes() throws IOException {
        start("syslog", 100);
        sendUdp("<30>Nov 26 11:59:00 db-1 postgres[7]: checkpoint".getBytes(StandardCharsets.UTF_8),
                ("<30>1 - - - - - " + "y".repeat(300)).getBytes(StandardCharsets.UTF_8),
                new byte[] {'<', '1', '3', '>', 'o', 'k', ' ', (byte) 0xFF});
        await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 2 && count("udp", "refused") == 1);
        assertThat(messages()).containsExactlyInAnyOrder("checkpoint", "ok \uFFFD");
        LogEntry db = written.stream().filter(e -> e.message().equals("checkpoint")).findFirst().orElseThrow();
        assertThat(db.source()).isEqualTo("db-1");
        assertThat(db.tags()).containsEntry("app", "postgres").containsEntry("procid", "7")
                .containsEntry("facility", "daemon").containsEntry("severity", "info");
    }

    @Test
    void retriesABusyStoreThenStores() throws IOException {
        start("syslog", 100);
        busyWrites.set(2);
        sendTcp("<13>1 - - - - - - after two busy answers\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("tcp", "stored") == 1);
        assertThat(messages()).containsExactly("after two busy answers");
        assertThat(busyWrites).hasValue(0);
    }

    @Test
    void asksForABoundedNumberOfBatchesWhileBatchesAreBeingWritten() {
        start("syslog", 100);
        hang = true;
        SyslogIntake intake = new SyslogIntake("test", router, props, InstantSource.fixed(PushFixture.NOW), metrics);
        AtomicLong requested = new AtomicLong();
        Flux<LogEntry> endless = Flux.<LogEntry>generate(sink -> sink.next(
                new LogEntry(SyslogMapper.UNASSIGNED_ID, PushFixture.NOW, "h", Map.of(), "m"))).doOnRequest(n -> requested.addAndGet(n));
        Disposable writing = intake.writeInBatches(endless).subscribe();
        try {
            int inFlight = props.batchesInFlight();
            await().atMost(Duration.ofSeconds(10)).until(() -> writesStarted.get() == inFlight);
            // batches of 3: the ones being written and what Reactor's fair bufferTimeout asks ahead
            // (four batches' worth); a TCP connection's reads stop there, where without the bound
            // the endless source would be drained
            assertThat(requested.get()).isBetween(inFlight * 3L, (inFlight + 4) * 3L);
            assertThat(writesStarted).as("no more writes than batches in flight").hasValue(inFlight);
        } finally {
            writing.dispose();
        }
    }

    @Test
    void dropsAndCountsUdpMessagesBeyondThePendingQueueWhileTheWritePathHangs() throws IOException {
        start("syslog", 5);
        hang = true;
        byte[][] datagrams = new byte[40][];
        for (int i = 0; i < datagrams.length; i++) {
            datagrams[i] = ("<13>1 - h - - - - message " + i).getBytes(StandardCharsets.UTF_8);
        }
        sendUdp(datagrams);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("udp", "received") == 40);
        // held at most: the queue (5), the batches being written and the four asked ahead (of 3 each)
        assertThat(count("udp", "dropped")).isGreaterThanOrEqualTo(40 - 5 - (props.batchesInFlight() + 4) * 3);
        assertThat(count("udp", "stored")).isZero();
        assertThat(written).isEmpty();
    }

    @Test
    void dropsAndCountsWhatCannotBeWritten() throws IOException {
        start("no-such-partition", 100);
        sendUdp("<13>1 - - - - - - lost".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("udp", "dropped") == 1);
        assertThat(written).isEmpty();
        assertThat(count("udp", "stored")).isZero();
    }
}
