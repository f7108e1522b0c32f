package io.timberdb.storage.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.codec.CompressionSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compression on real logs: the loghub samples (2,000 lines from each of 16 systems), one entry
 * per line with source = the system's name. Prints bytes per entry for every codec — for each
 * system alone and for all systems interleaved in one block, as a shard holding several sources
 * would — and asserts only that the ratios are sane, never timings. The samples are committed
 * under {@code data/loghub} at the repository root ({@code -Dtimberdb.loghub.dir} overrides).
 */
class LoghubCompressionTest {

    private static final Path LOGHUB = Path.of(System.getProperty("timberdb.loghub.dir", "../data/loghub"));
    private static final Instant BASE = Instant.parse("2024-07-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void everyCodecShrinksRealLogsAndReadsThemBack() throws IOException {
        assertThat(LOGHUB).as("the committed loghub samples").isDirectory();
        List<Path> files;
        try (Stream<Path> list = Files.list(LOGHUB)) {
            files = list.filter(p -> p.getFileName().toString().endsWith("_2k.log")).sorted().toList();
        }
        assertThat(files).as("*_2k.log files in " + LOGHUB).hasSize(16);

        StringBuilder report = new StringBuilder(String.format("%-12s %7s %9s", "system", "entries", "raw B/e"));
        for (Codec codec : Codec.values()) {
            report.append(String.format(" %9s", codec.specName() + " B/e"));
        }
        report.append('\n');
        List<LogEntry> all = new ArrayList<>();
        for (Path file : files) {
            String system = file.getFileName().toString().replace("_2k.log", "");
            List<LogEntry> entries = entries(system, Files.readAllLines(file, StandardCharsets.UTF_8));
            all.addAll(entries);
            report.append(row(system, entries));
        }
        Map<Codec, Long> totals = sizes("all", all);
        report.append(row("all (mixed)", all));
        System.out.println(report);

        long raw = rawBytes(all);
        long none = totals.get(Codec.NONE);
        assertThat(none).as("uncompressed, templates and numbers take less than the message bytes").isLessThan(raw);
        for (Codec codec : List.of(Codec.LZ4, Codec.SNAPPY)) {
            assertThat(totals.get(codec)).as(codec.specName()).isLessThan(raw / 3).isLessThan(none);
        }
        for (Codec codec : List.of(Codec.ZSTD, Codec.GZIP)) {
            assertThat(totals.get(codec)).as(codec.specName()).isLessThan(raw / 4).isLessThan(totals.get(Codec.LZ4));
        }
    }

    private String row(String system, List<LogEntry> entries) throws IOException {
        StringBuilder row = new StringBuilder(String.format("%-12s %7d %9.1f", system, entries.size(),
                (double) rawBytes(entries) / entries.size()));
        for (Map.Entry<Codec, Long> size : sizes(system, entries).entrySet()) {
            row.append(String.format(" %9.1f", (double) size.getValue() / entries.size()));
        }
        return row.append('\n').toString();
    }

    /** Block size for every codec at the default settings (level 3, threshold 4096, 1024 entries a page). */
    private Map<Codec, Long> sizes(String name, List<LogEntry> entries) throws IOException {
        Map<Codec, Long> sizes = new EnumMap<>(Codec.class);
        for (Codec codec : Codec.values()) {
            Path file = dir.resolve(name.replace(' ', '-') + "-" + codec.specName() + "-" + System.nanoTime() + ".tblk");
            BlockMeta meta = new BlockWriter(BlockOptions.DEFAULTS.withCompression(CompressionSettings.of(codec)))
                    .write(file, entries);
            try (BlockReader reader = BlockReader.open(file, new BlockCache(0, 0))) {
                int read = 0;
                for (int page = 0; page < reader.pageCount(); page++) {
                    read += reader.readPage(page).size();
                }
                assertThat(read).isEqualTo(entries.size());
            }
            sizes.put(codec, meta.sizeBytes());
            Files.delete(file);
        }
        return sizes;
    }

    /** One entry per line, a millisecond apart, with UUIDv7-style ids of one generator. */
    private static List<LogEntry> entries(String system, List<String> lines) {
        List<LogEntry> entries = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            long millis = BASE.toEpochMilli() + i;
            String id = new UUID(millis << 16 | 0x7000L | (system.hashCode() & 0xFFF), 0x8000_0000_0000_1234L).toString();
            entries.add(new LogEntry(id, Instant.ofEpochMilli(millis), system, Map.of(), lines.get(i)));
        }
        return entries;
    }

    private static long rawBytes(List<LogEntry> entries) {
        long bytes = 0;
        for (LogEntry entry : entries) {
            bytes += entry.message().getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }
}
