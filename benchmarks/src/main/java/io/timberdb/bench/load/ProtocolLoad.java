package io.timberdb.bench.load;

import io.timberdb.bench.Args;
import io.timberdb.bench.Summaries;
import io.timberdb.bench.data.GeneratedEntry;
import io.timberdb.bench.data.LoghubGenerator;
import io.timberdb.bench.data.LoghubSamples;
import io.timberdb.bench.protocol.Protocol;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The ingest protocol benchmark's driver (TDB-06): the same generated entries through each of
 * TimberDB's ingest protocols ({@link Protocol}), each into a partition of its own
 * ({@code <prefix><protocol>}), and each protocol's rate as a ratio to native NDJSON's.
 *
 * <ol>
 *   <li>generates N entries ({@link LoghubGenerator}) and encodes them, batch by batch, into every
 *       protocol's bodies before anything is timed: the benchmark measures the server, not the
 *       encoder; every protocol gets the same batches;</li>
 *   <li>creates the partitions (and {@code <prefix>warmup});</li>
 *   <li>warm-up: each protocol sends its first {@code --warmup-entries} to {@code <prefix>warmup};
 *       but syslog, whose listener writes to its one configured partition, {@code <prefix>syslog}:
 *       that partition holds the warm-up's entries too;</li>
 *   <li>R rounds: each protocol sends all N entries to its partition, in declaration order in
 *       rounds 1, 3, … and in reverse order in rounds 2, 4, …, so that warm-up and drift favour
 *       none;</li>
 *   <li>reports entries/s per protocol and round, the median over rounds and its ratio to NDJSON's,
 *       and writes them to {@code --summary-file} with what each partition must hold.</li>
 * </ol>
 *
 * Syslog ({@link SyslogSender}) writes its frames over {@code --clients} TCP connections to
 * {@code --syslog-port} and, having no acknowledgement, is timed until a count of its partition
 * shows every entry stored.
 *
 * <p>Only loopback addresses are accepted. A body that is not stored fails the run (exit 1).
 */
public final class ProtocolLoad {

    static final String USAGE = """
            usage: ProtocolLoad --url URL [options]
              --url URL              the TimberDB standalone (loopback only)
              --samples DIR          loghub samples [data/loghub or $LOGHUB_DIR]
              --entries N            entries per protocol and round [1M]
              --seed S               generator seed [42]
              --batch N              entries per request, the same for every protocol [10000]
              --clients N            concurrent clients [2]
              --rounds R             timed rounds [3]
              --warmup-entries N     entries per protocol sent before the rounds [min(N, 200k)]
              --protocols LIST       comma-separated, NDJSON first [all: %s]
              --syslog-port P        the standalone's syslog TCP port on the --url's host (syslog only); its
                                     partition (timberdb.ingest.syslog.partition) must be <prefix>syslog
              --partition-prefix P   partitions are P<protocol> and Pwarmup [pb-]
              --retries N            retries of one request on 503/429 [200]
              --timeout-seconds N    per request; syslog: how long the count may stall [300]
              --server-pid PID       the server's process: also report its CPU time per entry
                                     (less disturbed than entries/s by other work on the machine)
              --summary-file FILE    also write the figures as properties
            """.formatted(Protocol.ids());

    private ProtocolLoad() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    static int run(String[] argv) {
        return IngestLoad.command(argv, List.of(), USAGE, ProtocolLoad::load);
    }

    private static int load(Args args) {
        URI base = URI.create(args.required("url").replaceAll("/+$", ""));
        Path samples = Path.of(args.get("samples", System.getenv().getOrDefault("LOGHUB_DIR", "data/loghub")));
        long entries = args.count("entries", 1_000_000);
        long seed = args.longValue("seed", LoghubGenerator.DEFAULT_SEED);
        int batch = (int) args.count("batch", 10_000);
        int clients = (int) args.longValue("clients", 2);
        int rounds = (int) args.longValue("rounds", 3);
        long warmup = args.count("warmup-entries", Math.min(entries, 200_000));
        List<Protocol> protocols = Arrays.stream(args.get("protocols", Protocol.ids()).split(","))
                .map(Protocol::of).distinct().toList();
        String prefix = args.get("partition-prefix", "pb-");
        int retries = (int) args.longValue("retries", 200);
        Duration timeout = Duration.ofSeconds(args.longValue("timeout-seconds", 300));
        String summaryFile = args.get("summary-file", null);
        long serverPid = args.longValue("server-pid", -1);
        int syslogPort = (int) args.longValue("syslog-port", -1);
        args.rejectUnknown();
        if (entries < 1 || entries > Integer.MAX_VALUE || batch < 1 || clients < 1 || rounds < 1 || warmup < 0) {
            throw new IllegalArgumentException("--entries, --batch, --clients and --rounds must be at least 1 "
                    + "(--entries at most " + Integer.MAX_VALUE + "), --warmup-entries at least 0");
        }
        if (protocols.get(0) != Protocol.NDJSON) {
            throw new IllegalArgumentException("--protocols must start with ndjson: the ratios are to it");
        }
        if (protocols.contains(Protocol.SYSLOG) && (syslogPort < 1 || syslogPort > 65535)) {
            throw new IllegalArgumentException("--protocols has syslog: give the listener's --syslog-port");
        }
        Summaries.requireLoopback(base);

        LoghubGenerator generator = new LoghubGenerator(LoghubSamples.load(samples), seed, entries);
        int batches = (int) ((entries + batch - 1) / batch);
        int[] sizes = new int[batches];
        Map<Protocol, List<byte[]>> bodies = encode(generator, protocols, batch, sizes);
        int warmupBatches = (int) Math.min(batches, (warmup + batch - 1) / batch);
        long warmupEntries = Arrays.stream(sizes, 0, warmupBatches).asLongStream().sum();

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        TargetSetup setup = new TargetSetup(http, timeout);
        String warmupPartition = prefix + "warmup";
        setup.createPartition(base, warmupPartition, null, null);
        for (Protocol p : protocols) {
            setup.createPartition(base, prefix + p.id, null, null);
        }
        ProtocolSender httpSender = new ProtocolSender(http, timeout, retries);
        SyslogSender syslog = !protocols.contains(Protocol.SYSLOG) ? null : new SyslogSender(
                new InetSocketAddress(base.getHost().replaceAll("^\\[|]$", ""), syslogPort), timeout);
        Send send = (p, partition, count) -> p.overHttp()
                ? httpSender.send(p, base, partition, bodies.get(p), sizes, count, clients)
                : syslog.send(() -> setup.count(base, partition), bodies.get(p), sizes, count, clients);
        if (warmupBatches > 0) {
            for (Protocol p : protocols) {
                String to = p.overHttp() ? warmupPartition : prefix + p.id; // syslog's listener has one partition
                ProtocolSender.Result r = send.send(p, to, warmupBatches);
                System.out.printf(Locale.ROOT, "warm-up %-14s %,d entries to %s: %,.0f entries/s%n", p.id, r.entries(),
                        to, r.entriesPerSecond());
            }
        }
        ServerCpu cpu = serverPid < 0 ? null : new ServerCpu(serverPid);
        Map<Protocol, double[]> rates = new LinkedHashMap<>();
        Map<Protocol, double[]> cpuPerEntry = new LinkedHashMap<>();
        protocols.forEach(p -> rates.put(p, new double[rounds]));
        protocols.forEach(p -> cpuPerEntry.put(p, new double[rounds]));
        for (int round = 0; round < rounds; round++) {
            List<Protocol> order = new ArrayList<>(protocols);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (Protocol p : order) {
                long cpu0 = cpu == null ? 0 : cpu.nanos();
                ProtocolSender.Result r = send.send(p, prefix + p.id, batches);
                rates.get(p)[round] = r.entriesPerSecond();
                cpuPerEntry.get(p)[round] = cpu == null ? Double.NaN : (cpu.nanos() - cpu0) / 1e3 / r.entries();
                System.out.printf(Locale.ROOT, "round %d/%d %-14s %,d entries in %.2f s = %,.0f entries/s, %.1f MB/s; "
                                + "request p50 %.0f ms, p99 %.0f ms; %d retries; server CPU %.1f µs/entry%n", round + 1,
                        rounds, p.id, r.entries(), r.seconds(), r.entriesPerSecond(), r.bytes() / 1e6 / r.seconds(),
                        r.p50Millis(), r.p99Millis(), r.retries(), cpuPerEntry.get(p)[round]);
            }
        }

        Map<String, String> out = new LinkedHashMap<>();
        out.put("protocols", String.join(",", protocols.stream().map(p -> p.id).toList()));
        out.put("entries", Long.toString(entries));
        out.put("batch", Integer.toString(batch));
        out.put("batches", Integer.toString(batches));
        out.put("clients", Integer.toString(clients));
        out.put("rounds", Integer.toString(rounds));
        out.put("seed", Long.toString(seed));
        out.put("warmup.partition", warmupPartition);
        long httpProtocols = protocols.stream().filter(Protocol::overHttp).count();
        out.put("warmup.expected", Long.toString(warmupEntries * httpProtocols));
        double reference = median(rates.get(Protocol.NDJSON));
        double cpuReference = median(cpuPerEntry.get(Protocol.NDJSON));
        System.out.println("protocol        median entries/s  ratio to ndjson  server µs/entry  cpu ratio  bytes/entry  rounds");
        for (Protocol p : protocols) {
            double median = median(rates.get(p));
            long bytes = bodies.get(p).stream().mapToLong(b -> b.length).sum();
            String key = p.id + ".";
            out.put(key + "partition", prefix + p.id);
            out.put(key + "expected", Long.toString(entries * rounds + (p.overHttp() ? 0 : warmupEntries)));
            out.put(key + "median", fmt(median, 0));
            out.put(key + "ratio", fmt(median / reference, 3));
            out.put(key + "bytes_per_entry", fmt((double) bytes / entries, 1));
            out.put(key + "rounds", String.join(" ", Arrays.stream(rates.get(p)).mapToObj(v -> fmt(v, 0)).toList()));
            double cpuMedian = median(cpuPerEntry.get(p));
            // the CPU ratio reads like the rate ratio: NDJSON's CPU per entry over this protocol's
            out.put(key + "cpu_us_per_entry", cpu == null ? "n/a" : fmt(cpuMedian, 2));
            out.put(key + "cpu_ratio", cpu == null ? "n/a" : fmt(cpuReference / cpuMedian, 3));
            System.out.printf(Locale.ROOT, "%-15s %,16.0f  %15.3f  %15.2f  %9.3f  %11.1f  %s%n", p.id, median,
                    median / reference, cpuMedian, cpuReference / cpuMedian, (double) bytes / entries,
                    out.get(key + "rounds"));
        }
        if (summaryFile != null) {
            Summaries.write(Path.of(summaryFile), out);
        }
        return 0;
    }

    /** Every protocol's bodies of the data set, batch by batch (in parallel); fills {@code sizes}. */
    private static Map<Protocol, List<byte[]>> encode(LoghubGenerator generator, List<Protocol> protocols, int batch,
                                                      int[] sizes) {
        long started = System.nanoTime();
        byte[][][] encoded = new byte[sizes.length][][];
        IntStream.range(0, sizes.length).parallel().forEach(b -> {
            long from = (long) b * batch;
            long to = Math.min(generator.count(), from + batch);
            List<GeneratedEntry> entries = new ArrayList<>((int) (to - from));
            for (long i = from; i < to; i++) {
                entries.add(generator.entry(i));
            }
            sizes[b] = entries.size();
            encoded[b] = protocols.stream().map(p -> p.encode(entries)).toArray(byte[][]::new);
        });
        Map<Protocol, List<byte[]>> bodies = new LinkedHashMap<>();
        for (int i = 0; i < protocols.size(); i++) {
            int index = i;
            bodies.put(protocols.get(i), Arrays.stream(encoded).map(e -> e[index]).toList());
        }
        System.out.printf(Locale.ROOT, "encoded %,d entries in %d batch(es) of up to %,d for %d protocol(s) "
                        + "in %.1f s%n", generator.count(), sizes.length, batch, protocols.size(),
                (System.nanoTime() - started) / 1e9);
        return bodies;
    }

    /** Sends the first {@code count} bodies of a protocol to a partition, by its transport. */
    @FunctionalInterface
    private interface Send {
        ProtocolSender.Result send(Protocol protocol, String partition, int count);
    }

    /** The CPU time a process has used so far (Linux: from /proc, in clock ticks). */
    private record ServerCpu(long pid) {

        long nanos() {
            return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
                    .orElseThrow(() -> new LoadFailed("cannot read the CPU time of process " + pid)).toNanos();
        }
    }

    /** The median (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
