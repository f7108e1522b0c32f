package io.timberdb.bench.jmh;

import io.timberdb.bench.Csv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a JMH CSV result file ({@code -rf csv}) into a markdown table, with the figure each
 * benchmark's score stands for: entries/s for the WAL (score × batchSize), entries scanned/s for
 * the shard query and the block benchmarks (score × entries), MB/s of uncompressed text for the codecs (score × blockBytes).
 *
 * <pre>JmhReport results.csv</pre>
 */
public final class JmhReport {

    private JmhReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JmhReport RESULTS.csv");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            System.err.println("empty result file " + args[0]);
            System.exit(1);
        }
        List<List<String>> rows = Csv.parse(lines);
        List<String> header = rows.get(0);
        int bench = header.indexOf("Benchmark");
        int score = header.indexOf("Score");
        int error = header.indexOf("Score Error (99.9%)");
        int unit = header.indexOf("Unit");
        List<Integer> params = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).startsWith("Param: ")) {
                params.add(i);
            }
        }
        System.out.println("| benchmark | parameters | score | ± (99.9%) | unit | figure |");
        System.out.println("|---|---|---:|---:|---|---:|");
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            String name = row.get(bench).replace("io.timberdb.bench.jmh.", "");
            StringBuilder p = new StringBuilder();
            double s = Double.parseDouble(row.get(score));
            String figure = "";
            for (int i : params) {
                String v = i < row.size() ? row.get(i) : "";
                if (v.isEmpty()) {
                    continue;
                }
                String key = header.get(i).substring("Param: ".length());
                p.append(p.length() == 0 ? "" : ", ").append(key).append('=').append(v);
                switch (key) {
                    case "batchSize" -> figure = String.format(Locale.ROOT, "%,.0f entries/s", s * Double.parseDouble(v));
                    case "entries" -> figure = String.format(Locale.ROOT, "%,.0f entries/s", s * Double.parseDouble(v));
                    case "blockBytes" -> figure = String.format(Locale.ROOT, "%,.0f MB/s", s * Double.parseDouble(v) / 1e6);
                    default -> { }
                }
            }
            String err = error >= 0 && !row.get(error).isEmpty() && !row.get(error).equals("NaN")
                    ? String.format(Locale.ROOT, "%,.1f", Double.parseDouble(row.get(error))) : "";
            System.out.printf(Locale.ROOT, "| %s | %s | %,.1f | %s | %s | %s |%n", name, p, s, err, row.get(unit), figure);
        }
    }
}
