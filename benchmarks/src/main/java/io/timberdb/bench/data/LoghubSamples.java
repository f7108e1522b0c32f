package io.timberdb.bench.data;

import io.timberdb.bench.Csv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loghub sample lines of a directory: every {@code <System>_2k.log}, parsed into (level,
 * component, message). When the structured CSV beside a log ({@code <System>_2k.log_structured.csv},
 * as loghub ships it) exists, its {@code Level}, {@code Component} and {@code Content} columns are
 * used; otherwise each raw line is the message and the level is the first level word found in it.
 *
 * <p>Immutable once loaded; thread-safe.
 */
public final class LoghubSamples {

    /** The suffix of the sample files read. */
    public static final String LOG_SUFFIX = "_2k.log";
    /** The suffix loghub gives the structured CSV of a sample file. */
    public static final String CSV_SUFFIX = "_structured.csv";

    private static final Pattern LEVEL_WORD = Pattern.compile(
            "\\b(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|FATAL|SEVERE|CRITICAL)\\b", Pattern.CASE_INSENSITIVE);

    /** One parsed sample line. {@code component} may be null. */
    public record Line(String level, String component, String message) {
    }

    /**
     * The samples of one system.
     *
     * @param name the system's name as in its file name, e.g. {@code HDFS}
     * @param structured whether the lines came from the structured CSV
     */
    public record SystemSamples(String name, boolean structured, List<Line> lines) {
    }

    private LoghubSamples() {
    }

    /**
     * Loads every {@code *_2k.log} of {@code dir}, sorted by system name (so that the order, and
     * with it the generated data, does not depend on the file system).
     *
     * @throws IllegalArgumentException when the directory holds no sample file
     */
    public static List<SystemSamples> load(Path dir) {
        List<Path> logs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + LOG_SUFFIX)) {
            files.forEach(logs::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (logs.isEmpty()) {
            throw new IllegalArgumentException("no *" + LOG_SUFFIX + " file in " + dir);
        }
        logs.sort(null);
        List<SystemSamples> systems = new ArrayList<>();
        for (Path log : logs) {
            String file = log.getFileName().toString();
            String name = file.substring(0, file.length() - LOG_SUFFIX.length());
            Path csv = log.resolveSibling(file + CSV_SUFFIX);
            List<Line> lines = Files.isRegularFile(csv) ? readCsv(csv) : readRaw(log);
            if (!lines.isEmpty()) {
                systems.add(new SystemSamples(name, Files.isRegularFile(csv), List.copyOf(lines)));
            }
        }
        if (systems.isEmpty()) {
            throw new IllegalArgumentException("every *" + LOG_SUFFIX + " file in " + dir + " is empty");
        }
        return List.copyOf(systems);
    }

    /**
     * Maps a level as the systems write it (INFO, I, Info, WARNING, notice, SEVERE, …) to one of
     * trace, debug, info, notice, warn, error, fatal; anything else (missing, or a column that
     * holds something else, as Linux's "combo") is "info".
     */
    public static String normalizeLevel(String raw) {
        if (raw == null) {
            return "info";
        }
        return switch (raw.trim().toUpperCase(Locale.ROOT)) {
            case "V", "TRACE", "VERBOSE", "FINEST", "FINER" -> "trace";
            case "D", "DEBUG", "FINE" -> "debug";
            case "N", "NOTICE" -> "notice";
            case "W", "WARN", "WARNING" -> "warn";
            case "E", "ERR", "ERROR", "SEVERE", "FAILURE" -> "error";
            case "F", "A", "FATAL", "CRIT", "CRITICAL", "ALERT", "EMERG", "PANIC" -> "fatal";
            default -> "info";
        };
    }

    private static List<Line> readRaw(Path log) {
        List<Line> lines = new ArrayList<>();
        for (String line : readAllLines(log)) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LEVEL_WORD.matcher(line);
            lines.add(new Line(normalizeLevel(m.find() ? m.group(1) : null), null, line.strip()));
        }
        return lines;
    }

    private static List<Line> readCsv(Path csv) {
        List<String> text = readAllLines(csv);
        if (text.isEmpty()) {
            return List.of();
        }
        List<List<String>> records = Csv.parse(text);
        List<String> header = records.get(0);
        int level = header.indexOf("Level");
        int component = header.indexOf("Component");
        if (component < 0) {
            component = header.indexOf("Program"); // Proxifier
        }
        int content = header.indexOf("Content");
        if (content < 0) {
            throw new IllegalArgumentException(csv + " has no Content column: " + header);
        }
        List<Line> lines = new ArrayList<>();
        for (List<String> record : records.subList(1, records.size())) {
            if (record.size() <= content) {
                continue;
            }
            String message = record.get(content).strip();
            if (message.isEmpty()) {
                continue;
            }
            String comp = component >= 0 && component < record.size() ? record.get(component).strip() : null;
            lines.add(new Line(normalizeLevel(level >= 0 && level < record.size() ? record.get(level) : null),
                    comp == null || comp.isEmpty() ? null : comp, message));
        }
        return lines;
    }

    private static List<String> readAllLines(Path file) {
        try {
            // loghub files are UTF-8 with a few stray bytes: decode leniently
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
