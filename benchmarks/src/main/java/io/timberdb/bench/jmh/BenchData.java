package io.timberdb.bench.jmh;

import io.timberdb.bench.data.GeneratedEntry;
import io.timberdb.bench.data.LoghubGenerator;
import io.timberdb.bench.data.LoghubSamples;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.id.EntryIds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark inputs from the loghub samples, always the same for a seed: the directory is
 * {@code -Dloghub.dir}, else {@code $LOGHUB_DIR}, else {@code data/loghub} (the repository's copy).
 */
public final class BenchData {

    public static final long SEED = 42;

    private BenchData() {
    }

    /** The loghub sample directory to read. */
    public static Path samplesDir() {
        String dir = System.getProperty("loghub.dir", System.getenv().getOrDefault("LOGHUB_DIR", "data/loghub"));
        return Path.of(dir);
    }

    /** The first {@code n} entries of the seed's data set (of size {@code n}). */
    public static List<GeneratedEntry> generated(int n) {
        LoghubGenerator generator = new LoghubGenerator(LoghubSamples.load(samplesDir()), SEED, n);
        List<GeneratedEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(generator.entry(i));
        }
        return entries;
    }

    /** {@code n} entries as the storage node holds them, with ids as ingest would assign them. */
    public static List<LogEntry> logEntries(int n) {
        EntryIds ids = new EntryIds(InstantSource.fixed(Instant.parse("2026-11-01T00:00:00Z")));
        List<LogEntry> out = new ArrayList<>(n);
        for (GeneratedEntry e : generated(n)) {
            out.add(new LogEntry(ids.next(), e.timestamp(), e.source(), e.tags(), e.message()));
        }
        return out;
    }

    /** The kinds of text the codec benchmarks compress. */
    public enum Text {
        /** The messages alone, one per line: what a message column of a block would hold. */
        MESSAGES,
        /** Whole NDJSON lines as ingest receives them. */
        NDJSON
    }

    /** At least {@code bytes} bytes of generated text (cut to exactly {@code bytes}). */
    public static byte[] text(Text kind, int bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 4096);
        StringBuilder line = new StringBuilder(1024);
        LoghubGenerator generator = new LoghubGenerator(LoghubSamples.load(samplesDir()), SEED, 10_000_000);
        for (long i = 0; out.size() < bytes; i++) {
            GeneratedEntry e = generator.entry(i);
            line.setLength(0);
            if (kind == Text.MESSAGES) {
                line.append(e.message()).append('\n');
            } else {
                e.appendNdjson(line);
            }
            out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, bytes);
    }

    /** Deletes a directory tree (benchmark temp directories). */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
