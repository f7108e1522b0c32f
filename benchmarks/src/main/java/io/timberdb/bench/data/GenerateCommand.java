package io.timberdb.bench.data;

import io.timberdb.bench.Args;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * {@code LoghubGenerator} on the command line: writes a data set as chunk files, one directory
 * per wire format, and a {@code manifest.properties} written last. A directory whose manifest
 * already describes the same data set is left alone (idempotent); anything else in it is replaced.
 *
 * <pre>
 * OUT/manifest.properties
 * OUT/timberdb/chunk-000000.ndjson     TimberDB NDJSON lines
 * OUT/clickhouse/chunk-000000.jsonl    ClickHouse JSONEachRow rows of the same entries
 * </pre>
 */
public final class GenerateCommand {

    static final String USAGE = """
            usage: LoghubGenerator --out DIR [options]
              --samples DIR        the loghub samples (*_2k.log, *_2k.log_structured.csv)
                                   [data/loghub in the repository, or $LOGHUB_DIR]
              --count N            entries to generate [1000000]; 1M, 10M and 1k are accepted
              --seed S             [42]
              --chunk-entries N    entries per chunk file [100000]
              --end INSTANT        exclusive end of the time window [2026-11-01T00:00:00Z]
              --window DURATION    ISO-8601 duration of the time window [PT24H]
              --hosts N            sources per system [8]
              --formats LIST       timberdb,clickhouse (either or both) [timberdb,clickhouse]
              --threads N          generator threads [available processors]
              --force              regenerate even when the manifest matches
            """;

    /** The wire formats a data set can be written in. */
    public enum Format {
        TIMBERDB("timberdb", ".ndjson"),
        CLICKHOUSE("clickhouse", ".jsonl");

        public final String dir;
        public final String suffix;

        Format(String dir, String suffix) {
            this.dir = dir;
            this.suffix = suffix;
        }

        void append(GeneratedEntry e, StringBuilder out) {
            if (this == TIMBERDB) {
                e.appendNdjson(out);
            } else {
                e.appendClickHouseRow(out);
            }
        }

        public static Format of(String name) {
            for (Format f : values()) {
                if (f.dir.equalsIgnoreCase(name.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown format '" + name + "'; use timberdb or clickhouse");
        }
    }

    public static final String MANIFEST = "manifest.properties";

    private GenerateCommand() {
    }

    static int run(String[] argv) {
        Args args;
        try {
            args = Args.parse(argv, List.of("force"));
            if (args.has("help")) {
                System.out.print(USAGE);
                return 0;
            }
            return generate(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        } catch (UncheckedIOException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int generate(Args args) {
        Path samplesDir = Path.of(args.get("samples", System.getenv().getOrDefault("LOGHUB_DIR",
                "data/loghub")));
        Path out = Path.of(args.required("out"));
        long count = args.count("count", 1_000_000);
        long seed = args.longValue("seed", LoghubGenerator.DEFAULT_SEED);
        int chunk = (int) args.count("chunk-entries", 100_000);
        Instant end = Instant.parse(args.get("end", LoghubGenerator.DEFAULT_END.toString()));
        Duration window = Duration.parse(args.get("window", LoghubGenerator.DEFAULT_WINDOW.toString()));
        int hosts = (int) args.longValue("hosts", LoghubGenerator.DEFAULT_HOSTS_PER_SYSTEM);
        List<Format> formats = new ArrayList<>();
        for (String f : args.get("formats", "timberdb,clickhouse").split(",")) {
            Format format = Format.of(f);
            if (!formats.contains(format)) {
                formats.add(format);
            }
        }
        int threads = (int) args.longValue("threads", Runtime.getRuntime().availableProcessors());
        boolean force = args.has("force");
        args.rejectUnknown();
        if (chunk < 1 || threads < 1) {
            throw new IllegalArgumentException("--chunk-entries and --threads must be at least 1");
        }

        Properties wanted = new Properties();
        wanted.setProperty("generator", "io.timberdb.bench.data.LoghubGenerator/1");
        wanted.setProperty("samples", samplesDir.toAbsolutePath().normalize().toString());
        wanted.setProperty("count", Long.toString(count));
        wanted.setProperty("seed", Long.toString(seed));
        wanted.setProperty("chunk_entries", Integer.toString(chunk));
        wanted.setProperty("end", end.toString());
        wanted.setProperty("window", window.toString());
        wanted.setProperty("hosts_per_system", Integer.toString(hosts));
        wanted.setProperty("formats", String.join(",", formats.stream().map(f -> f.dir).toList()));

        Path manifest = out.resolve(MANIFEST);
        if (!force && Files.isRegularFile(manifest)) {
            Properties existing = readProperties(manifest);
            boolean same = wanted.stringPropertyNames().stream()
                    .allMatch(k -> wanted.getProperty(k).equals(existing.getProperty(k)));
            if (same) {
                System.out.printf(Locale.ROOT, "data set in %s is up to date (%s entries, seed %d); use --force to regenerate%n",
                        out, existing.getProperty("count"), seed);
                return 0;
            }
            System.out.println("data set in " + out + " was generated with other settings; regenerating");
        }

        List<LoghubSamples.SystemSamples> samples = LoghubSamples.load(samplesDir);
        LoghubGenerator generator = new LoghubGenerator(samples, seed, count, end, window, hosts);
        prepare(out, formats);

        int chunks = (int) ((count + chunk - 1) / chunk);
        System.out.printf(Locale.ROOT, "generating %,d entries (seed %d) from %d systems / %,d sample lines in %s: "
                        + "%d chunk(s) of %,d, formats %s, %d thread(s)%n",
                count, seed, generator.systems(), generator.sampleLines(), samplesDir, chunks, chunk,
                wanted.getProperty("formats"), threads);
        long started = System.nanoTime();
        AtomicLong done = new AtomicLong();
        ChunkResult[] results = new ChunkResult[chunks];
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "generator");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ChunkResult>> futures = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                long from = (long) c * chunk;
                long to = Math.min(count, from + chunk);
                int index = c;
                futures.add(pool.submit(() -> writeChunk(generator, out, formats, index, from, to, done)));
            }
            long lastReport = started;
            for (int c = 0; c < chunks; c++) {
                Future<ChunkResult> f = futures.get(c);
                while (true) { // bounded: each wait ends when the chunk completes; progress every 2 s
                    try {
                        results[c] = f.get(2, TimeUnit.SECONDS);
                        break;
                    } catch (java.util.concurrent.TimeoutException e) {
                        lastReport = progress(done.get(), count, started);
                    }
                }
                if (System.nanoTime() - lastReport > 2_000_000_000L) {
                    lastReport = progress(done.get(), count, started);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u;
            }
            throw new IllegalStateException("generating a chunk failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        Properties written = new Properties();
        written.putAll(wanted);
        Map<String, Long> levels = new TreeMap<>();
        Map<String, Long> systems = new TreeMap<>();
        for (ChunkResult r : results) {
            r.levels.forEach((k, v) -> levels.merge(k, v, Long::sum));
            r.systems.forEach((k, v) -> systems.merge(k, v, Long::sum));
        }
        System.out.printf(Locale.ROOT, "generated %,d entries in %.1f s (%,.0f entries/s)%n", count, seconds, count / seconds);
        Instant first = generator.entry(0).timestamp();
        Instant last = generator.entry(count - 1).timestamp();
        System.out.printf(Locale.ROOT, "  timestamps %s .. %s%n", first, last);
        for (int f = 0; f < formats.size(); f++) {
            Format format = formats.get(f);
            long bytes = 0;
            CRC32C fingerprint = new CRC32C();
            for (ChunkResult r : results) {
                bytes += r.bytes[f];
                fingerprint.update(java.nio.ByteBuffer.allocate(8).putLong(r.crc[f]).array());
            }
            String fp = String.format(Locale.ROOT, "%08x", fingerprint.getValue());
            written.setProperty("bytes." + format.dir, Long.toString(bytes));
            written.setProperty("fingerprint." + format.dir, fp);
            System.out.printf(Locale.ROOT, "  %-10s %4d file(s) %,10.1f MB  %6.1f B/entry  fingerprint %s  (%s)%n",
                    format.dir, chunks, bytes / 1e6, (double) bytes / count, fp, out.resolve(format.dir));
        }
        StringBuilder levelLine = new StringBuilder("  levels: ");
        levels.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> levelLine.append(String.format(Locale.ROOT, "%s %.1f%%  ", e.getKey(), 100.0 * e.getValue() / count)));
        System.out.println(levelLine.toString().stripTrailing());
        System.out.printf(Locale.ROOT, "  systems: %d, %,d sources%n", systems.size(), systems.size() * (long) hosts);
        written.setProperty("seconds", String.format(Locale.ROOT, "%.1f", seconds));
        writeProperties(manifest, written);
        return 0;
    }

    private static long progress(long done, long count, long started) {
        long now = System.nanoTime();
        double seconds = (now - started) / 1e9;
        System.out.printf(Locale.ROOT, "  generated %,d / %,d entries (%.0f%%), %,.0f entries/s%n",
                done, count, 100.0 * done / count, done / Math.max(seconds, 1e-9));
        return now;
    }

    private record ChunkResult(long[] bytes, long[] crc, Map<String, Long> levels, Map<String, Long> systems) {
    }

    private static ChunkResult writeChunk(LoghubGenerator generator, Path out, List<Format> formats, int chunk,
                                          long from, long to, AtomicLong done) throws IOException {
        long[] bytes = new long[formats.size()];
        long[] crcs = new long[formats.size()];
        Map<String, Long> levels = new TreeMap<>();
        Map<String, Long> systems = new TreeMap<>();
        OutputStream[] streams = new OutputStream[formats.size()];
        CRC32C[] crc = new CRC32C[formats.size()];
        try {
            for (int f = 0; f < formats.size(); f++) {
                Format format = formats.get(f);
                streams[f] = new BufferedOutputStream(Files.newOutputStream(
                        out.resolve(format.dir).resolve(chunkName(chunk, format))), 1 << 20);
                crc[f] = new CRC32C();
            }
            StringBuilder line = new StringBuilder(1024);
            int pending = 0;
            for (long i = from; i < to; i++) {
                GeneratedEntry e = generator.entry(i);
                levels.merge(e.level(), 1L, Long::sum);
                systems.merge(e.system(), 1L, Long::sum);
                for (int f = 0; f < formats.size(); f++) {
                    line.setLength(0);
                    formats.get(f).append(e, line);
                    byte[] b = line.toString().getBytes(StandardCharsets.UTF_8);
                    streams[f].write(b);
                    crc[f].update(b);
                    bytes[f] += b.length;
                }
                if (++pending == 1024) {
                    done.addAndGet(pending);
                    pending = 0;
                }
            }
            done.addAndGet(pending);
        } finally {
            for (OutputStream s : streams) {
                if (s != null) {
                    s.close();
                }
            }
        }
        for (int f = 0; f < formats.size(); f++) {
            crcs[f] = crc[f].getValue();
        }
        return new ChunkResult(bytes, crcs, levels, systems);
    }

    /** The file name of chunk {@code index} in {@code format}. */
    public static String chunkName(int index, Format format) {
        return String.format(Locale.ROOT, "chunk-%06d%s", index, format.suffix);
    }

    private static void prepare(Path out, List<Format> formats) {
        try {
            Files.createDirectories(out);
            Files.deleteIfExists(out.resolve(MANIFEST));
            for (Format format : Format.values()) {
                Path dir = out.resolve(format.dir);
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.list(dir)) {
                        for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                            if (p.getFileName().toString().startsWith("chunk-")) {
                                Files.delete(p);
                            }
                        }
                    }
                }
                if (formats.contains(format)) {
                    Files.createDirectories(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + out + ": " + e.getMessage(), e);
        }
    }

    /** Reads a manifest (or any properties file). */
    public static Properties readProperties(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return p;
    }

    private static void writeProperties(Path file, Properties p) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            TreeMap<String, String> sorted = new TreeMap<>();
            p.stringPropertyNames().forEach(k -> sorted.put(k, p.getProperty(k)));
            w.write("# written by io.timberdb.bench.data.LoghubGenerator\n");
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue().replace("\\", "\\\\") + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
