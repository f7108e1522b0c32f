package io.timberdb.model.query;

import io.timberdb.model.api.LogEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Entries in the style of the loghub samples (HDFS, OpenSSH), with hand-checkable fields. */
final class LogFixtures {

    /** The clock of the evaluator tests: {@code now()}. */
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    /** id | time on 2026-11-26 | source | message | tags as key=value separated by spaces. */
    private static final String TABLE = """
            h1 | 11:00:00 | hdfs-dn-1 | PacketResponder 1 for block blk_38865049064139660 terminating \
            | level=INFO component=dfs.DataNode$PacketResponder latency_ms=12
            h2 | 11:02:30 | hdfs-dn-1 | Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 \
            dest: /10.250.19.102:50010 | level=INFO component=dfs.DataNode$DataXceiver latency_ms=30
            h3 | 11:04:59 | hdfs-nn | BLOCK* NameSystem.addStoredBlock: blockMap updated: 10.251.73.220:50010 \
            is added to blk_7128370237687728475 size 67108864 | level=INFO component=dfs.FSNamesystem latency_ms=7.5
            h4 | 11:05:00 | hdfs-dn-2 | Exception in receiveBlock for block blk_-1608999687919862906 \
            java.io.IOException: Connection reset by peer | level=WARN component=dfs.DataNode latency_ms=n/a
            s1 | 11:05:00 | sshd-lab | Failed password for invalid user admin from 173.234.31.186 port 38926 ssh2 \
            | level=WARN pid=24200
            s2 | 11:30:00 | sshd-lab | Accepted password for fztu from 119.137.62.142 port 49116 ssh2 | level=INFO pid=24211
            s3 | 11:59:00 | sshd-web | pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh \
            ruser= rhost=173.234.31.186 | pid=5
            s4 | 11:59:30 | sshd-web | Received disconnect from 173.234.31.186: 11: Bye Bye [preauth] | level=INFO pid=5
            """;

    static final List<LogEntry> ALL = TABLE.lines().map(LogFixtures::row).toList();
    static final LogEntry H1 = ALL.get(0);
    static final LogEntry H2 = ALL.get(1);
    static final LogEntry H3 = ALL.get(2);
    static final LogEntry H4 = ALL.get(3);
    static final LogEntry S1 = ALL.get(4);
    static final LogEntry S2 = ALL.get(5);
    static final LogEntry S3 = ALL.get(6);
    static final LogEntry S4 = ALL.get(7);

    static final Map<String, List<LogEntry>> PARTITIONS = Map.of("hdfs", ALL.subList(0, 4), "open-ssh", ALL.subList(4, 8));

    private LogFixtures() {
    }

    private static LogEntry row(String line) {
        String[] cells = line.split(" \\| ");
        Map<String, String> tags = new TreeMap<>();
        for (String tag : cells[4].trim().split(" ")) {
            int eq = tag.indexOf('=');
            tags.put(tag.substring(0, eq), tag.substring(eq + 1));
        }
        return new LogEntry(cells[0].trim(), Instant.parse("2026-11-26T" + cells[1].trim() + "Z"), cells[2].trim(), tags,
                cells[3].trim());
    }
}
