package io.timberdb.bench.load;

import io.timberdb.bench.protocol.Protocol;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends pre-encoded bodies of one protocol to one partition from C concurrent clients, each taking
 * the next body and waiting for its answer, and times the whole. A body counts once the answer is
 * the protocol's success: 200 with {@code accepted} equal to the body's entries (native API), 200
 * with {@code "errors":false} (Elasticsearch bulk), 204 (Loki), 200 (OTLP). 503 and 429 are
 * retried with a growing pause, a bounded number of times; anything else stops the send.
 *
 * <p>Thread-safe: the HttpClient is; each {@link #send} keeps its state to itself.
 */
final class ProtocolSender {

    /** One send's figures. */
    record Result(long entries, long bytes, double seconds, long retries, double p50Millis, double p99Millis) {

        double entriesPerSecond() {
            return entries / seconds;
        }
    }

    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");

    private final HttpClient http;
    private final Duration timeout;
    private final int retries;

    ProtocolSender(HttpClient http, Duration timeout, int retries) {
        this.http = http;
        this.timeout = timeout;
        this.retries = retries;
    }

    /**
     * Sends {@code bodies[0..count)} (body i holds {@code entries[i]} entries) to {@code partition}.
     *
     * @throws LoadFailed when a body is not stored
     */
    Result send(Protocol protocol, URI base, String partition, List<byte[]> bodies, int[] entries, int count,
                int clients) {
        HttpRequest.Builder template = HttpRequest.newBuilder(protocol.endpoint(base, partition)).timeout(timeout)
                .header("Content-Type", protocol.contentType);
        if (protocol.partitionInHeader()) {
            template.header(Protocol.PARTITION_HEADER, partition);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        long[] latencies = new long[count];
        long started = System.nanoTime();
        runClients(protocol.id, clients, () -> {
            for (int i = next.getAndIncrement(); i < count && failure.get() == null; i = next.getAndIncrement()) {
                long t0 = System.nanoTime();
                try {
                    retried.addAndGet(sendOne(protocol, template.copy().POST(
                            HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(), entries[i]));
                } catch (LoadFailed e) {
                    failure.compareAndSet(null, e.getMessage());
                }
                latencies[i] = System.nanoTime() - t0;
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        if (failure.get() != null) {
            throw new LoadFailed(protocol.id + " to " + partition + ": " + failure.get());
        }
        return result(bodies, entries, count, seconds, retried.get(), latencies);
    }

    /** Runs {@code client} on {@code clients} threads ({@code <name>-client-<c>}) and waits for them all. */
    static void runClients(String name, int clients, Runnable client) {
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(client, name + "-client-" + c);
            threads.add(t);
            t.start();
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadFailed("interrupted");
        }
    }

    /** The figures of a send of {@code bodies[0..count)} that took {@code seconds}, body i in {@code latencies[i]} ns. */
    static Result result(List<byte[]> bodies, int[] entries, int count, double seconds, long retries, long[] latencies) {
        long sentEntries = 0;
        long sentBytes = 0;
        for (int i = 0; i < count; i++) {
            sentEntries += entries[i];
            sentBytes += bodies.get(i).length;
        }
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new Result(sentEntries, sentBytes, seconds, retries, IngestLoad.percentile(sorted, 0.50),
                IngestLoad.percentile(sorted, 0.99));
    }

    /** Sends one body until it is stored; answers the number of retries it took. */
    private int sendOne(Protocol protocol, HttpRequest request, int entries) {
        for (int attempt = 0; attempt <= retries; attempt++) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new LoadFailed("request to " + request.uri() + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LoadFailed("interrupted");
            }
            int status = response.statusCode();
            if (status == protocol.status) {
                check(protocol, response.body(), entries);
                return attempt;
            }
            if ((status == 503 || status == 429) && attempt < retries) {
                IngestLoad.sleep(Math.min(2_000, 50L * (attempt + 1)));
                continue;
            }
            throw new LoadFailed("answered " + status + ": " + TargetSetup.abbreviate(response.body()));
        }
        throw new LoadFailed("stayed busy after " + retries + " retries");
    }

    private static void check(Protocol protocol, String body, int entries) {
        if (protocol == Protocol.NDJSON) {
            Matcher m = ACCEPTED.matcher(body);
            if (!m.find() || Integer.parseInt(m.group(1)) != entries) {
                throw new LoadFailed("accepted a different number of entries than sent (" + entries + "): "
                        + TargetSetup.abbreviate(body));
            }
        } else if (protocol == Protocol.ES_BULK && !body.contains("\"errors\":false")) {
            throw new LoadFailed("refused items: " + TargetSetup.abbreviate(body));
        }
    }
}
