package io.timberdb.bench.load;

import io.timberdb.bench.Args;
import io.timberdb.bench.Summaries;
import io.timberdb.bench.data.GenerateCommand;
import io.timberdb.bench.data.GenerateCommand.Format;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a generated data set ({@code LoghubGenerator}) to TimberDB or ClickHouse over HTTP in
 * batches of N entries from C concurrent clients, and reports entries/s and MB/s.
 *
 * <ul>
 *   <li>{@code timberdb}: {@code POST {url}/api/v1/partitions/{partition}/logs}, Content-Type
 *       {@code application/x-ndjson}, the batch's NDJSON lines; a batch counts once the answer is
 *       200 with {@code accepted} equal to the batch's entries (TimberDB answers after its fsync).</li>
 *   <li>{@code clickhouse}: {@code POST {url}/?query=INSERT INTO {table} FORMAT JSONEachRow} with
 *       the same entries as JSONEachRow rows; a batch counts once the answer is 200.</li>
 * </ul>
 *
 * One reader thread cuts the chunk files into batches ahead of the clients (a bounded queue of
 * 2×C batches); each client sends one batch at a time and waits for its answer. 503 and 429
 * answers are retried with a growing pause, a bounded number of times; any other failure stops
 * the run with exit status 1. Only loopback addresses are accepted.
 */
public final class IngestLoad {

    static final String USAGE = """
            usage: IngestLoad --target timberdb|clickhouse --data DIR [options]
              --data DIR             a data set written by LoghubGenerator (DIR/manifest.properties)
              --url URL              [timberdb: http://127.0.0.1:7777, clickhouse: http://127.0.0.1:8123]
              --partition NAME       timberdb partition [bench]
              --create-partition     timberdb: create the partition first (an existing one is fine)
              --compression NAME     timberdb: the new partition's codec (None, LZ4, Zstd, Snappy, Gzip)
                                     [the server's default]
              --compression-level N  timberdb: the new partition's codec level [the server's default]
              --table NAME           clickhouse table [bench.logs]
              --create-table         clickhouse: create the database and table first if missing
                                     (GeneratedEntry.CLICKHOUSE_TABLE_DDL)
              --batch N              entries per request [10000]
              --clients N            concurrent clients [2]
              --max-entries N        stop after N entries of a pass [all]
              --passes N             send the data set N times [1]
              --retries N            retries of one batch on 503/429 [200]
              --timeout-seconds N    per request [300]
              --max-seconds N        stop sending new batches after N seconds; the summary then says
                                     complete=false [no limit]
              --progress-seconds N   progress line interval [2]
              --summary-file FILE    also write the summary as properties
            """;

    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");

    private final Format target;
    private final URI endpoint;
    private final String contentType;
    private final int clients;
    private final int retries;
    private final Duration timeout;
    private final HttpClient http;

    private final AtomicLong sentEntries = new AtomicLong();
    private final AtomicLong sentBytes = new AtomicLong();
    private final AtomicLong sentBatches = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();
    /** System.nanoTime() after which no new batch is read; 0: none. Set before the run starts. */
    private long deadline;
    /** Whether the deadline cut the run short; set after the reader ends. */
    private boolean timedOut;

    private IngestLoad(Format target, URI endpoint, int clients, int retries, Duration timeout) {
        this.target = target;
        this.endpoint = endpoint;
        this.contentType = target == Format.TIMBERDB ? "application/x-ndjson" : "application/json";
        this.clients = clients;
        this.retries = retries;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    static int run(String[] argv) {
        return command(argv, List.of("create-partition", "create-table"), USAGE, IngestLoad::load);
    }

    /**
     * Runs a load command: {@code --help} prints {@code usage}; a bad argument prints the error and
     * the usage (exit 2); a failed load prints the error (exit 1).
     */
    static int command(String[] argv, List<String> flags, String usage, java.util.function.ToIntFunction<Args> body) {
        try {
            Args args = Args.parse(argv, flags);
            if (args.has("help")) {
                System.out.print(usage);
                return 0;
            }
            return body.applyAsInt(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(usage);
            return 2;
        } catch (LoadFailed | UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int load(Args args) {
        Format target = Format.of(args.required("target"));
        Path data = Path.of(args.required("data"));
        String url = args.get("url", target == Format.TIMBERDB ? "http://127.0.0.1:7777" : "http://127.0.0.1:8123");
        String partition = args.get("partition", "bench");
        boolean create = args.has("create-partition");
        String compression = args.get("compression", null);
        String compressionLevel = args.get("compression-level", null);
        String table = args.get("table", "bench.logs");
        boolean createTable = args.has("create-table");
        int batch = (int) args.count("batch", 10_000);
        int clients = (int) args.longValue("clients", 2);
        long maxEntries = args.count("max-entries", Long.MAX_VALUE);
        int passes = (int) args.longValue("passes", 1);
        int retries = (int) args.longValue("retries", 200);
        Duration timeout = Duration.ofSeconds(args.longValue("timeout-seconds", 300));
        long maxSeconds = args.longValue("max-seconds", 0);
        long progressSeconds = args.longValue("progress-seconds", 2);
        String summaryFile = args.get("summary-file", null);
        args.rejectUnknown();
        if (batch < 1 || clients < 1 || passes < 1 || retries < 0 || progressSeconds < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("--batch, --clients, --passes, --progress-seconds and --max-entries "
                    + "must be at least 1, --retries at least 0");
        }
        URI base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        Summaries.requireLoopback(base);

        Path manifestFile = data.resolve(GenerateCommand.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IllegalArgumentException(data + " holds no data set (no " + GenerateCommand.MANIFEST
                    + "); run LoghubGenerator first");
        }
        Properties manifest = GenerateCommand.readProperties(manifestFile);
        List<Path> files = BatchReader.chunkFiles(data.resolve(target.dir), target);
        if (files.isEmpty()) {
            throw new IllegalArgumentException(data.resolve(target.dir) + " holds no chunk file; generate the data set "
                    + "with --formats including " + target.dir);
        }

        URI endpoint;
        if (target == Format.TIMBERDB) {
            endpoint = base.resolve("/api/v1/partitions/" + URLEncoder.encode(partition, StandardCharsets.UTF_8) + "/logs");
        } else {
            endpoint = base.resolve("/?query=" + URLEncoder.encode("INSERT INTO " + table + " FORMAT JSONEachRow",
                    StandardCharsets.UTF_8));
        }
        IngestLoad load = new IngestLoad(target, endpoint, clients, retries, timeout);
        TargetSetup setup = new TargetSetup(load.http, timeout);
        if (target == Format.TIMBERDB && create) {
            setup.createPartition(base, partition, compression, compressionLevel);
        }
        if (target == Format.CLICKHOUSE && createTable) {
            setup.createClickHouseTable(base, table);
        }
        long perPass = Math.min(maxEntries, Long.parseLong(manifest.getProperty("count")));
        System.out.printf(Locale.ROOT, "ingest %s: %,d entries (%d pass(es) of %,d from %s, seed %s) to %s in batches of %,d, "
                        + "%d client(s)%n", target.dir, perPass * passes, passes, perPass, data,
                manifest.getProperty("seed"), endpoint, batch, clients);
        if (maxSeconds > 0) {
            load.deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        }
        Summary s = load.send(files, batch, maxEntries, passes, progressSeconds);
        boolean complete = !load.timedOut;

        Map<String, String> out = new LinkedHashMap<>();
        out.put("target", target.dir);
        out.put("complete", Boolean.toString(complete));
        out.put("entries", Long.toString(s.entries));
        out.put("batches", Long.toString(s.batches));
        out.put("batch", Integer.toString(batch));
        out.put("clients", Integer.toString(clients));
        out.put("seconds", fmt(s.seconds, 3));
        out.put("entries_per_s", fmt(s.entries / s.seconds, 0));
        out.put("payload_mb", fmt(s.bytes / 1e6, 1));
        out.put("mb_per_s", fmt(s.bytes / 1e6 / s.seconds, 2));
        out.put("bytes_per_entry", fmt((double) s.bytes / Math.max(1, s.entries), 1));
        out.put("retries", Long.toString(s.retries));
        out.put("latency_p50_ms", fmt(s.p50, 1));
        out.put("latency_p99_ms", fmt(s.p99, 1));
        out.put("latency_max_ms", fmt(s.max, 1));
        out.put("driver_cpu_s", fmt(ProcessHandle.current().info().totalCpuDuration()
                .map(d -> d.toNanos() / 1e9).orElse(Double.NaN), 2));
        out.put("seed", manifest.getProperty("seed"));
        out.put("dataset_entries", manifest.getProperty("count"));
        out.put("fingerprint", manifest.getProperty("fingerprint." + target.dir, ""));
        if (!complete) {
            System.out.printf(Locale.ROOT, "stopped after --max-seconds %d: not every entry was sent%n", maxSeconds);
        }
        System.out.printf(Locale.ROOT, "done %s: %,d entries in %.2f s = %,.0f entries/s, %.1f MB payload = %.2f MB/s; "
                        + "batch latency p50 %.0f ms, p99 %.0f ms, max %.0f ms; %d retries%n",
                target.dir, s.entries, s.seconds, s.entries / s.seconds, s.bytes / 1e6, s.bytes / 1e6 / s.seconds,
                s.p50, s.p99, s.max, s.retries);
        StringBuilder result = new StringBuilder("RESULT");
        out.forEach((k, v) -> result.append(' ').append(k).append('=').append(v));
        System.out.println(result);
        if (summaryFile != null) {
            Summaries.write(Path.of(summaryFile), out);
        }
        return 0;
    }

    private record Summary(long entries, long bytes, long batches, long retries, double seconds, double p50,
                           double p99, double max) {
    }

    private Summary send(List<Path> files, int batchSize, long maxEntries, int passes, long progressSeconds) {
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(2 * clients);
        List<long[][]> latencies = new ArrayList<>(); // one holder per client, filled when it ends
        List<Thread> senders = new ArrayList<>();
        long started = System.nanoTime();
        BatchReader batches = new BatchReader(files, batchSize, maxEntries, passes, clients, queue, failure, deadline);
        Thread reader = new Thread(batches, "batch-reader");
        reader.setDaemon(true);
        reader.start();
        for (int c = 0; c < clients; c++) {
            long[][] mine = new long[1][];
            latencies.add(mine);
            Thread t = new Thread(() -> mine[0] = sendAll(queue), "client-" + c);
            t.setDaemon(true);
            senders.add(t);
            t.start();
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        long[] last = {started, 0};
        ticker.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            long entries = sentEntries.get();
            double total = entries / ((now - started) / 1e9);
            double recent = (entries - last[1]) / ((now - last[0]) / 1e9);
            last[0] = now;
            last[1] = entries;
            System.out.printf(Locale.ROOT, "  %s: %,d entries sent, %,.0f entries/s (last %d s: %,.0f/s), %.1f MB/s%n",
                    target.dir, entries, total, progressSeconds, recent,
                    sentBytes.get() / 1e6 / ((now - started) / 1e9));
        }, progressSeconds, progressSeconds, TimeUnit.SECONDS);
        try {
            reader.join();
            for (Thread t : senders) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadFailed("interrupted");
        } finally {
            ticker.shutdownNow();
        }
        timedOut = batches.timedOut();
        double seconds = (System.nanoTime() - started) / 1e9;
        if (failure.get() != null) {
            throw new LoadFailed(failure.get() + " (after " + sentEntries.get() + " entries)");
        }
        long[] all = latencies.stream().flatMapToLong(h -> Arrays.stream(h[0])).sorted().toArray();
        return new Summary(sentEntries.get(), sentBytes.get(), sentBatches.get(), retried.get(), seconds,
                percentile(all, 0.50), percentile(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    /** A client: sends batches until the reader's end marker; after a failure, only drains. */
    private long[] sendAll(BlockingQueue<Batch> queue) {
        long[] latencies = new long[1024];
        int n = 0;
        while (true) {
            Batch batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, "interrupted");
                break;
            }
            if (batch == Batch.END) {
                break;
            }
            if (failure.get() != null) {
                continue;
            }
            try {
                long t0 = System.nanoTime();
                sendOne(batch);
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                }
                latencies[n++] = System.nanoTime() - t0;
                sentEntries.addAndGet(batch.entries());
                sentBytes.addAndGet(batch.body().length);
                sentBatches.incrementAndGet();
            } catch (LoadFailed e) {
                failure.compareAndSet(null, e.getMessage());
            } catch (RuntimeException e) {
                failure.compareAndSet(null, "client failed: " + e);
            }
        }
        return Arrays.copyOf(latencies, n);
    }

    private void sendOne(Batch batch) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body())).build();
        for (int attempt = 0; attempt <= retries; attempt++) {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                throw new LoadFailed("no answer from " + endpoint + " within " + timeout.toSeconds() + " s");
            } catch (ConnectException e) {
                throw new LoadFailed("cannot connect to " + endpoint + ": " + e);
            } catch (IOException e) {
                throw new LoadFailed("request to " + endpoint + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LoadFailed("interrupted");
            }
            int status = response.statusCode();
            if (status == 200 || status == 201 || status == 204) {
                if (target == Format.TIMBERDB) {
                    Matcher m = ACCEPTED.matcher(response.body());
                    if (!m.find() || Integer.parseInt(m.group(1)) != batch.entries()) {
                        throw new LoadFailed("TimberDB accepted a different number of entries than sent ("
                                + batch.entries() + "): " + TargetSetup.abbreviate(response.body()));
                    }
                }
                return;
            }
            if ((status == 503 || status == 429) && attempt < retries) {
                retried.incrementAndGet();
                sleep(Math.min(2_000, 50L * (attempt + 1)));
                continue;
            }
            throw new LoadFailed(target.dir + " answered " + status + ": " + TargetSetup.abbreviate(response.body()));
        }
        throw new LoadFailed(target.dir + " stayed busy after " + retries + " retries");
    }

    /** The {@code p} quantile of nanosecond {@code sorted} latencies, in milliseconds (0 when empty). */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /** Sleeps; an interruption fails the load. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadFailed("interrupted");
        }
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
