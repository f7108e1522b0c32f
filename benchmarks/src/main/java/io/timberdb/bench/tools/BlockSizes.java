package io.timberdb.bench.tools;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.block.BlockCache;
import io.timberdb.storage.block.BlockOptions;
import io.timberdb.storage.block.BlockReader;
import io.timberdb.storage.block.BlockWriter;
import io.timberdb.storage.codec.CompressionSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the bytes of a data directory's sealed blocks go: stored bytes per entry of each column,
 * of the chunk headers and of the directory, dictionaries, postings and token filter sections,
 * summed over every block file ({@code *.blk}, {@code *.tblk}) under the given directories, as a
 * markdown table with one column per directory. With {@code --rewrite-to OUT}, each block's
 * entries are first written again by this build's {@link BlockWriter} (same codec, default
 * options otherwise) under {@code OUT}, and those copies are measured too: the size of the
 * current format on the same entries, without an ingest run.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.timberdb.bench.tools.BlockSizes [--rewrite-to OUT] DIR [DIR ...]
 * </pre>
 */
public final class BlockSizes {

    private BlockSizes() {
    }

    public static void main(String[] args) throws IOException {
        List<String> dirs = new ArrayList<>(List.of(args));
        Path rewriteTo = null;
        if (dirs.size() >= 2 && dirs.get(0).equals("--rewrite-to")) {
            rewriteTo = Path.of(dirs.get(1));
            dirs = dirs.subList(2, dirs.size());
        }
        if (dirs.isEmpty()) {
            System.err.println("usage: BlockSizes [--rewrite-to OUT] DIR [DIR ...]  (data directories or block files)");
            System.exit(2);
        }
        if (rewriteTo != null) {
            List<String> rewritten = new ArrayList<>();
            for (int d = 0; d < dirs.size(); d++) {
                Path out = rewriteTo.resolve(Integer.toString(d));
                rewrite(Path.of(dirs.get(d)), out);
                rewritten.add(out.toString());
            }
            dirs.addAll(rewritten);
        }
        print(dirs);
    }

    /** Writes the entries of every block under {@code dir} again, as blocks of this build under {@code out}. */
    private static void rewrite(Path dir, Path out) throws IOException {
        Files.createDirectories(out);
        int n = 0;
        for (Path file : blockFiles(dir)) {
            try (BlockReader reader = BlockReader.open(file, new BlockCache(0, 0))) {
                List<LogEntry> entries = new ArrayList<>(reader.header().entryCount());
                for (int page = 0; page < reader.pageCount(); page++) {
                    entries.addAll(reader.readPage(page));
                }
                BlockOptions options = BlockOptions.DEFAULTS.withCompression(
                        CompressionSettings.of(reader.header().codec()));
                Path target = out.resolve(String.format("%05d.tblk", n++));
                Files.deleteIfExists(target);
                new BlockWriter(options).write(target, entries);
            }
        }
    }

    private static void print(List<String> argv) throws IOException {
        List<Map<String, Long>> totals = new ArrayList<>();
        List<Long> entries = new ArrayList<>();
        for (String dir : argv) {
            Map<String, Long> total = new LinkedHashMap<>();
            long count = 0;
            for (Path file : blockFiles(Path.of(dir))) {
                try (BlockReader reader = BlockReader.open(file, new BlockCache(0, 0))) {
                    count += reader.header().entryCount();
                    reader.storedBytes().forEach((section, bytes) -> total.merge(section, bytes, Long::sum));
                }
            }
            total.put("total", total.values().stream().mapToLong(Long::longValue).sum());
            totals.add(total);
            entries.add(count);
        }
        StringBuilder out = new StringBuilder("| bytes/entry |");
        for (String dir : argv) {
            out.append(' ').append(dir).append(" |");
        }
        out.append("\n|---|").append("---:|".repeat(argv.size())).append('\n');
        out.append("| entries |");
        entries.forEach(count -> out.append(' ').append(String.format("%,d", count)).append(" |"));
        out.append('\n');
        for (String section : totals.get(0).keySet()) {
            out.append("| ").append(section).append(" |");
            for (int d = 0; d < totals.size(); d++) {
                long bytes = totals.get(d).getOrDefault(section, 0L);
                out.append(String.format(" %.2f |", entries.get(d) == 0 ? 0.0 : (double) bytes / entries.get(d)));
            }
            out.append('\n');
        }
        System.out.print(out);
    }

    private static List<Path> blockFiles(Path root) throws IOException {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".blk") || p.toString().endsWith(".tblk"))
                    .sorted().toList();
        }
    }
}
