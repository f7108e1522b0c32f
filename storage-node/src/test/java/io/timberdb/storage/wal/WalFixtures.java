package io.timberdb.storage.wal;

import io.timberdb.model.api.LogEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Fixed WAL content for the golden fixtures and helpers to write it. Run {@link #main} to
 * regenerate {@code src/test/resources/wal/v<CURRENT>/} — only when adding a new format
 * version; a shipped version's fixture never changes.
 */
final class WalFixtures {

    /** The golden segment of format version 1, as a classpath resource. */
    static final String V1_SEGMENT = "/wal/v1/" + WalFormat.segmentName(0);

    private WalFixtures() {
    }

    /** Three batches covering: no tags, sorted tags, non-ASCII text, nanoseconds, pre-1970, empty and long strings. */
    static List<List<LogEntry>> batches() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("env", "prod");
        tags.put("region", "eu-west-1");
        return List.of(
                List.of(new LogEntry("0190c3a2-0000-7000-8000-000000000001", Instant.parse("2024-07-01T12:00:00Z"),
                        "web-server-01", Map.of(), "GET /index.html 200")),
                List.of(new LogEntry("0190c3a2-0001-7000-8000-000000000001",
                                Instant.parse("2024-07-01T12:00:00.123456789Z"), "api", tags, "naïve café ☕ 日本語"),
                        new LogEntry("0190c3a2-0001-7001-8000-000000000001",
                                Instant.parse("2024-07-01T12:00:01Z"), "api", Map.of("env", "prod"), "")),
                List.of(new LogEntry("0190c3a2-0002-7000-8000-000000000001", Instant.parse("1969-12-31T23:59:59.5Z"),
                        "batch/job", Map.of(), "x".repeat(300))));
    }

    /** Every entry of {@link #batches()} in order. */
    static List<LogEntry> entries() {
        List<LogEntry> all = new ArrayList<>();
        batches().forEach(all::addAll);
        return all;
    }

    /** Writes the fixed batches, one record each, into a new WAL in {@code dir}. */
    static void writeBatches(Path dir) throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "fixture", WalOptions.DEFAULTS, (s, e) -> { })) {
            for (List<LogEntry> batch : batches()) {
                wal.append(batch).get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Copies the v1 golden segment into {@code dir}. */
    static Path copyV1Segment(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(WalFormat.segmentName(0));
        try (var in = WalFixtures.class.getResourceAsStream(V1_SEGMENT)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + V1_SEGMENT);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** Regenerates the golden segment of the current version under {@code src/test/resources}. */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "src/test/resources/wal/v" + WalFormat.CURRENT_VERSION);
        Path temp = Files.createTempDirectory("wal-fixture");
        writeBatches(temp);
        Files.createDirectories(out);
        Files.copy(temp.resolve(WalFormat.segmentName(0)), out.resolve(WalFormat.segmentName(0)),
                StandardCopyOption.REPLACE_EXISTING);
        System.out.println("wrote " + out.resolve(WalFormat.segmentName(0)).toAbsolutePath());
    }
}
