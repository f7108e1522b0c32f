package io.timberdb.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Jepsen's set workload over the native write API: writer threads send batches of entries in a
 * bounded loop and record the id of every entry an answer acknowledged, the errors, and the
 * longest stretch without any acknowledgement (the longest write stall). At the end the ids
 * are compared with what every replica holds ({@link ReplicaCheck}).
 *
 * <p>Thread-safe: writers record into concurrent sets and atomics.
 */
final class SetWorkload implements AutoCloseable {

    private final String writeUrl;
    private final int writers;
    private final int batch;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastAck = new AtomicLong(System.nanoTime());
    private final AtomicLong longestStall = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private volatile long stopAfterNanos;

    /**
     * @param writeUrl the native write route of the partition, e.g. {@code http://…/api/v1/partitions/p/logs}
     * @param maxDuration the loop's bound: writers stop after it even if {@link #close} is not called
     */
    SetWorkload(String writeUrl, int writers, int batch, Duration maxDuration) {
        this.writeUrl = writeUrl;
        this.writers = writers;
        this.batch = batch;
        this.stopAfterNanos = System.nanoTime() + maxDuration.toNanos();
    }

    /** Starts the writers. */
    SetWorkload start() {
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = new Thread(() -> write(writer), "set-writer-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    private void write(int writer) {
        long sequence = 0;
        while (running && System.nanoTime() < stopAfterNanos) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < batch; i++) {
                body.append("{\"timestamp\":\"").append(Instant.now()).append("\",\"source\":\"writer-").append(writer)
                        .append("\",\"tags\":{\"stream\":\"s").append(i % 8).append("\"},\"message\":\"w")
                        .append(writer).append('-').append(sequence++).append("\"}\n");
            }
            requests.incrementAndGet();
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(writeUrl))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode ids = QuickStart.JSON.readTree(response.body()).path("ids");
                    for (JsonNode id : ids) {
                        acknowledged.add(id.asString());
                    }
                    long now = System.nanoTime();
                    long previous = lastAck.getAndSet(now);
                    longestStall.accumulateAndGet(now - previous, Math::max);
                } else {
                    failures.incrementAndGet();
                    pause();
                }
            } catch (Exception e) {
                failures.incrementAndGet();
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Restarts the stall clock (call when the fault starts, so the warm-up does not count). */
    void resetStall() {
        lastAck.set(System.nanoTime());
        longestStall.set(0);
    }

    /** Stops the writers and waits for their last requests. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(40).toMillis());
        }
    }

    Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    long requests() {
        return requests.get();
    }

    long failures() {
        return failures.get();
    }

    /** The longest time between two acknowledgements since the last {@link #resetStall}. */
    Duration longestStall() {
        return Duration.ofNanos(longestStall.get());
    }

    /** Failed requests as a share of all. */
    double errorRate() {
        long all = requests.get();
        return all == 0 ? 0 : (double) failures.get() / all;
    }
}
