package io.timberdb.storage.shard;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.shard.ShardId;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The victim of {@link KillDurabilityTest}: appends batches to a {@link ShardStore} from several
 * threads forever and prints {@code ACK <id> ;} for every entry once its append completed. Its
 * shard seals a block every {@link #ROTATION} entries, so kills also land in the middle of seals.
 * Usage: {@code AppendingChild <dataDir> <round>}; ids carry the round so that rounds never reuse one.
 */
public final class AppendingChild {

    static final ShardId SHARD = new ShardId("kill", 0);
    static final String ACK = "ACK ";
    static final String END = " ;";
    static final StoreOptions ROTATION = StoreOptions.DEFAULTS.withRotation(new BlockRotation(BlockRotation.Type.COUNT, 500));

    private AppendingChild() {
    }

    public static void main(String[] args) throws Exception {
        ShardStore store = new ShardStore(Path.of(args[0]), ROTATION);
        String round = args.length > 1 ? args[1] : "0";
        PrintStream out = new PrintStream(System.out, false);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            Thread writer = new Thread(() -> {
                for (long n = 0; ; n++) {
                    List<LogEntry> batch = new ArrayList<>();
                    for (int i = 0; i <= n % 4; i++) {
                        batch.add(new LogEntry("r" + round + "-t" + thread + "-" + n + "-" + i, Instant.now(), "child",
                                Map.of("thread", Integer.toString(thread)), "entry " + n + "/" + i));
                    }
                    store.append(SHARD, batch).block();
                    StringBuilder acks = new StringBuilder();
                    for (LogEntry entry : batch) {
                        acks.append(ACK).append(entry.id()).append(END).append('\n');
                    }
                    synchronized (out) {
                        out.print(acks);
                        out.flush();
                    }
                }
            }, "appender-" + t);
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }
    }
}
