package io.timberdb.bench.load;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Writes pre-encoded batches of syslog frames ({@code Protocol.SYSLOG}'s) to the syslog TCP
 * listener over C connections, each taking the next batch and writing it whole, and times until
 * the listener's partition holds them all. Syslog has no acknowledgement, so the time is not that
 * of the writes (a write ends once the kernel has the bytes): it runs from the first connection
 * to the first count of the partition, polled every {@value #POLL_MILLIS} ms after the last write,
 * that shows every entry sent stored. The listener's backpressure (it stops reading while its
 * batches are written) keeps the writes close behind the store, so little of the time is the
 * wait; the listener's linger (200 ms by default) ends each connection's last batch.
 *
 * <p>A count that does not move for the stall time before it is reached fails the send: the
 * listener dropped messages (a malformed frame, a write that stayed busy; its metrics say which).
 * The per-batch figures of the result are the writes' (the time each batch took to write into its
 * socket), and there are no retries.
 *
 * <p>Thread-safe: each {@link #send} keeps its state to itself.
 */
final class SyslogSender {

    /** How often the partition is counted while waiting for the last entries. */
    static final long POLL_MILLIS = 20;

    private final InetSocketAddress listener;
    private final Duration stall;

    /**
     * @param listener the syslog TCP listener (loopback)
     * @param stall how long the count may stay still, short of every entry, before the send fails
     */
    SyslogSender(InetSocketAddress listener, Duration stall) {
        if (!listener.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("only a loopback syslog listener is allowed, not " + listener);
        }
        this.listener = listener;
        this.stall = stall;
    }

    /**
     * Writes {@code bodies[0..count)} (body i holds {@code entries[i]} entries) and waits until
     * {@code stored} (the count of the listener's partition) has grown by all of them.
     *
     * @throws LoadFailed when a connection fails, or the count stalls short of the entries sent or passes them
     */
    ProtocolSender.Result send(LongSupplier stored, List<byte[]> bodies, int[] entries, int count, int clients) {
        long sentEntries = Arrays.stream(entries, 0, count).asLongStream().sum();
        long before = stored.getAsLong();
        long target = before + sentEntries;
        AtomicInteger next = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        long[] latencies = new long[count];
        long started = System.nanoTime();
        ProtocolSender.runClients("syslog", clients, () -> write(bodies, count, next, failure, latencies));
        if (failure.get() != null) {
            throw new LoadFailed("syslog to " + listener + ": " + failure.get());
        }
        long held = awaitCount(stored, before, target);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (held > target) {
            throw new LoadFailed("the syslog partition holds " + (held - before) + " new entries, more than the "
                    + sentEntries + " sent: something else writes to it");
        }
        return ProtocolSender.result(bodies, entries, count, seconds, 0, latencies);
    }

    /** One connection: writes the next batch until none is left or a connection failed. */
    private void write(List<byte[]> bodies, int count, AtomicInteger next, AtomicReference<String> failure,
                       long[] latencies) {
        try (Socket socket = new Socket()) {
            socket.connect(listener, 10_000);
            OutputStream out = socket.getOutputStream();
            for (int i = next.getAndIncrement(); i < count && failure.get() == null; i = next.getAndIncrement()) {
                long t0 = System.nanoTime();
                out.write(bodies.get(i));
                latencies[i] = System.nanoTime() - t0;
            }
            out.flush();
            socket.shutdownOutput();
        } catch (IOException e) {
            failure.compareAndSet(null, "a connection failed: " + e);
        }
    }

    /** Counts until the count reaches {@code target}; answers it. */
    private long awaitCount(LongSupplier stored, long before, long target) {
        long last = stored.getAsLong();
        long lastChange = System.nanoTime();
        while (last < target) {
            IngestLoad.sleep(POLL_MILLIS);
            long now = stored.getAsLong();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > stall.toNanos()) {
                throw new LoadFailed("the syslog partition holds " + (last - before) + " of the " + (target - before)
                        + " entries sent, unchanged for " + stall.toSeconds() + " s: the listener dropped some "
                        + "(see timberdb_ingest_syslog_messages_total on /actuator/prometheus)");
            }
        }
        return last;
    }
}
