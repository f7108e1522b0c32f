package io.timberdb.standalone.engine;

import io.timberdb.model.api.LogEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The entries of the differential test: synthetic entries with small pools of sources, tags and
 * words (so that conditions hit, and timestamps collide to test the order of ties), loghub-like
 * HDFS and sshd lines from templates, and real lines of the loghub samples.
 */
final class DifferentialData {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    /** The entries span the two hours before {@link #NOW}. */
    static final long SPAN_SECONDS = 7200;

    static final String[] SOURCES = {"web-01", "web-02", "api", "db-1", "hdfs-dn-1", "hdfs-nn", "sshd-lab", "hdfs",
        "openssh", "apache", "linux"};
    static final String[] LEVELS = {"INFO", "WARN", "ERROR", "DEBUG"};
    static final String[] HOSTS = {"a", "b", "c"};
    static final String[] WORDS = {"error", "timeout", "connection", "reset", "user", "admin", "block", "GET", "POST",
        "failed", "password", "Accepted", "disk", "full", "Exception", "received", "served", "session", "opened",
        "authentication", "Receiving", "notice", "jk2_init"};
    static final String[] LATENCIES = {"12", "7.5", "30", "-3", "1e2", "n/a", "", "0.50", "0.5", "100"};

    private DifferentialData() {
    }

    /** {@code n} entries of the synthetic mix. */
    static List<LogEntry> generated(Random random, int n, String idPrefix) {
        List<LogEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, String> tags = new TreeMap<>();
            if (random.nextInt(5) > 0) {
                tags.put("level", pick(random, LEVELS));
            }
            if (random.nextBoolean()) {
                tags.put("host", pick(random, HOSTS));
            }
            if (random.nextInt(3) > 0) {
                tags.put("latency_ms", pick(random, LATENCIES));
            }
            StringBuilder message = new StringBuilder();
            int words = 1 + random.nextInt(6);
            for (int w = 0; w < words; w++) {
                message.append(w == 0 ? "" : random.nextInt(4) == 0 ? ", " : " ").append(pick(random, WORDS));
            }
            out.add(new LogEntry(idPrefix + String.format("%06d", i), time(random), pick(random, SOURCES), tags,
                    message.toString()));
        }
        return out;
    }

    /** {@code n} loghub-like entries: HDFS DataNode/NameNode and OpenSSH lines. */
    static List<LogEntry> loghub(Random random, int n, String idPrefix) {
        List<LogEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long block = random.nextLong() % 10_000_000_000L;
            String ip = "10.250." + random.nextInt(20) + "." + random.nextInt(255);
            String message;
            String source;
            Map<String, String> tags = new TreeMap<>();
            switch (random.nextInt(6)) {
                case 0 -> {
                    message = "Receiving block blk_" + block + " src: /" + ip + ":54106 dest: /" + ip + ":50010";
                    source = "hdfs-dn-" + random.nextInt(3);
                    tags.put("level", "INFO");
                    tags.put("component", "dfs.DataNode$DataXceiver");
                }
                case 1 -> {
                    message = "PacketResponder " + random.nextInt(3) + " for block blk_" + block + " terminating";
                    source = "hdfs-dn-" + random.nextInt(3);
                    tags.put("level", "INFO");
                    tags.put("component", "dfs.DataNode$PacketResponder");
                }
                case 2 -> {
                    message = "Exception in receiveBlock for block blk_" + block
                            + " java.io.IOException: Connection reset by peer";
                    source = "hdfs-dn-" + random.nextInt(3);
                    tags.put("level", "WARN");
                    tags.put("component", "dfs.DataNode");
                }
                case 3 -> {
                    message = "Failed password for invalid user " + pick(random, new String[] {"admin", "test", "oracle"})
                            + " from 173.234.31." + random.nextInt(4) + " port " + (30000 + random.nextInt(9999)) + " ssh2";
                    source = "sshd-" + pick(random, new String[] {"lab", "web"});
                    tags.put("level", "WARN");
                    tags.put("pid", Integer.toString(24000 + random.nextInt(300)));
                }
                case 4 -> {
                    message = "Accepted password for fztu from 119.137.62." + random.nextInt(4) + " port 49116 ssh2";
                    source = "sshd-" + pick(random, new String[] {"lab", "web"});
                    tags.put("level", "INFO");
                    tags.put("pid", Integer.toString(24000 + random.nextInt(300)));
                }
                default -> {
                    message = "Received disconnect from 173.234.31." + random.nextInt(4) + ": 11: Bye Bye [preauth]";
                    source = "sshd-web";
                    tags.put("pid", Integer.toString(random.nextInt(10)));
                }
            }
            if (random.nextBoolean()) {
                tags.put("latency_ms", pick(random, LATENCIES));
            }
            out.add(new LogEntry(idPrefix + String.format("%06d", i), time(random), source, tags, message));
        }
        return out;
    }

    /** The loghub sample files (data/loghub at the repository root) the real lines come from. */
    private static final String[] LOGHUB_FILES = {"HDFS_2k.log", "OpenSSH_2k.log", "Apache_2k.log", "Linux_2k.log"};

    /**
     * {@code n} entries whose messages are real lines of the loghub samples (HDFS, OpenSSH, Apache,
     * Linux), each under its system's name as source, with a level tag read off the line when it
     * names one; timestamps are drawn in the span like the others'.
     */
    static List<LogEntry> loghubLines(Random random, int n, String idPrefix) throws IOException {
        Path dir = Path.of(System.getProperty("timberdb.loghub.dir", "../data/loghub"));
        Map<String, List<String>> files = new TreeMap<>();
        for (String file : LOGHUB_FILES) {
            files.put(file, Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8));
        }
        List<LogEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String file = LOGHUB_FILES[i % LOGHUB_FILES.length];
            List<String> lines = files.get(file);
            String line = lines.get(random.nextInt(lines.size()));
            Map<String, String> tags = new TreeMap<>();
            for (String level : LEVELS) {
                if (line.contains(" " + level + " ") || line.contains("[" + level.toLowerCase(Locale.ROOT) + "]")) {
                    tags.put("level", level);
                    break;
                }
            }
            if (random.nextBoolean()) {
                tags.put("latency_ms", pick(random, LATENCIES));
            }
            String source = file.substring(0, file.indexOf('_')).toLowerCase(Locale.ROOT);
            out.add(new LogEntry(idPrefix + String.format("%06d", i), time(random), source, tags, line));
        }
        return out;
    }

    /** A timestamp in the span, on whole seconds most of the time so that ties are common. */
    private static Instant time(Random random) {
        Instant t = NOW.minusSeconds(1 + random.nextInt((int) SPAN_SECONDS));
        return random.nextInt(4) == 0 ? t.plusMillis(random.nextInt(1000)) : t;
    }

    static String pick(Random random, String[] pool) {
        return pool[random.nextInt(pool.length)];
    }
}
