package io.timberdb.storage.block;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.codec.CompressionSettings;
import io.timberdb.storage.index.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A fixed, deterministic block input and the options to write it, for the golden fixtures and
 * the corruption tests. Run {@link #main} to regenerate {@code src/test/resources/block/v<CURRENT>/}
 * — only when adding a new format version; a shipped version's fixtures never change.
 */
final class BlockFixtures {

    static final String[] SOURCES = {"web-01", "api", "batch/job"};
    static final String[] WORDS = {"GET", "POST", "/api/v1/users", "200", "404", "error", "timeout", "connection",
        "refused", "user", "login", "succeeded", "naïve", "café", "日本語", "😀", "disk", "full", "retrying", "in", "5s"};

    private BlockFixtures() {
    }

    /** Where the golden block of {@code codec} for format {@code version} is on the classpath. */
    static String resource(int version, Codec codec) {
        return "/block/v" + version + "/" + codec.specName().toLowerCase(Locale.ROOT) + ".tblk";
    }

    /** The options of the fixtures: 16 entries a page and a 64-byte threshold, so most chunks compress. */
    static BlockOptions options(Codec codec) {
        return new BlockOptions(new CompressionSettings(codec, codec == Codec.NONE ? 0 : 3, 64), 16,
                BlockOptions.DEFAULT_PAGE_MESSAGE_BYTES, 0.01, Tokenizer.DEFAULT);
    }

    /**
     * 40 entries in an order that is not the block order, covering: UUIDv7 ids and one non-UUID
     * id; equal timestamps; millisecond, microsecond and nanosecond precision; a pre-1970
     * timestamp; a timestamp beyond 2262 with nanoseconds (the split timestamp encoding); no tags,
     * one, two and twelve tags; empty, long and non-ASCII messages.
     */
    static List<LogEntry> entries() {
        Instant base = Instant.parse("2024-07-01T12:00:00Z");
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            Instant at = base.plusMillis(250L * (i / 2)); // pairs share a timestamp
            if (i % 7 == 3) {
                at = at.plusNanos(1_000); // microsecond precision
            }
            String id = uuid7(at.toEpochMilli(), i);
            entries.add(new LogEntry(id, at, SOURCES[i % 3], tags(i), message(i)));
        }
        entries.add(new LogEntry("legacy-id-0001", base.plusMillis(2_000), "api", Map.of(), ""));
        entries.add(new LogEntry(uuid7(0, 99), Instant.parse("1969-12-31T23:59:59.5Z"), "batch/job", Map.of(),
                "x".repeat(300)));
        entries.add(new LogEntry(uuid7(1, 98), Instant.parse("2024-07-01T12:00:00.123456789Z"), "web-01",
                tags(2), "nanosecond precision"));
        entries.add(new LogEntry(uuid7(2, 97), Instant.parse("2500-01-01T00:00:00.000000001Z"), "api", tags(5),
                "far future: ticks overflow, timestamps are split"));
        // interleave from both ends so that the writer has to sort
        List<LogEntry> shuffled = new ArrayList<>();
        for (int lo = 0, hi = entries.size() - 1; lo <= hi; lo++, hi--) {
            shuffled.add(entries.get(hi));
            if (lo != hi) {
                shuffled.add(entries.get(lo));
            }
        }
        return shuffled;
    }

    /** {@link #entries()} as a reader returns them: sorted by timestamp, then id (the test's own comparator). */
    /** The fixed entries in the order blocks of {@code version} store them. */
    static List<LogEntry> sortedEntries(int version) {
        List<LogEntry> sorted = new ArrayList<>(entries());
        sorted.sort(version == 1 ? Comparator.comparing(LogEntry::timestamp).thenComparing(LogEntry::id)
                : SealedEntries.BLOCK_ORDER);
        return sorted;
    }

    private static Map<String, String> tags(int i) {
        Map<String, String> tags = new LinkedHashMap<>();
        switch (i % 4) {
            case 0 -> { }
            case 1 -> tags.put("env", "prod");
            case 2 -> {
                tags.put("env", i % 8 == 2 ? "prod" : "dev");
                tags.put("region", "eu-west-1");
            }
            default -> {
                for (int k = 0; k < 12; k++) {
                    tags.put("k" + (char) ('a' + k), "v" + (k * i % 5));
                }
            }
        }
        return tags;
    }

    private static String message(int i) {
        StringBuilder message = new StringBuilder();
        for (int w = 0; w < 3 + i % 9; w++) {
            message.append(w == 0 ? "" : w % 3 == 0 ? ", " : " ").append(WORDS[(i * 7 + w * 3) % WORDS.length]);
        }
        return message.toString();
    }

    private static String uuid7(long millis, int sequence) {
        return new UUID(millis << 16 | 0x7000L | sequence, 0x8000_0000_1234_5678L).toString();
    }

    /** Writes the fixed entries with {@code codec} into {@code dir}; returns the block file. */
    static Path write(Path dir, Codec codec) throws IOException {
        Path file = dir.resolve(codec.specName().toLowerCase(Locale.ROOT) + ".tblk");
        new BlockWriter(options(codec)).write(file, entries());
        return file;
    }

    /** Copies the golden block of format {@code version} and {@code codec} into {@code dir}. */
    static Path copy(int version, Path dir, Codec codec) throws IOException {
        Path target = dir.resolve("golden-v" + version + "-" + codec.specName().toLowerCase(Locale.ROOT) + ".tblk");
        Files.write(target, bytes(version, codec));
        return target;
    }

    static byte[] bytes(int version, Codec codec) throws IOException {
        try (InputStream in = BlockFixtures.class.getResourceAsStream(resource(version, codec))) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource(version, codec));
            }
            return in.readAllBytes();
        }
    }

    /** Regenerates the golden blocks of the current version under {@code src/test/resources}. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/block/v" + BlockFormat.CURRENT_VERSION);
        Files.createDirectories(out);
        Path temp = Files.createTempDirectory("block-fixtures");
        for (Codec codec : Codec.values()) {
            Path written = write(temp, codec);
            Path target = out.resolve(written.getFileName());
            Files.copy(written, target, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("wrote " + target.toAbsolutePath() + " (" + Files.size(target) + " bytes)");
        }
    }
}
