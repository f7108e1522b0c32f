package io.timberdb.storage.shard;

import io.timberdb.storage.fs.Directories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The leader epochs of a replicated shard's log: for each epoch, the sequence of its first entry.
 * A follower asks its new leader where its own last epoch ends in the leader's log, and cuts its
 * log there: the entries it holds past that point were written by a leader whose epoch ended
 * without them being committed (see docs/plans/tdb-05.md).
 *
 * <p>Kept in the shard's {@value #FILE} file, one {@code epoch start} line each, rewritten whole
 * (atomically, forced) on each change; changes come with leader changes, so they are rare. The
 * file's presence also marks the shard as replicated: such a shard makes entries visible only
 * once they are committed.
 *
 * <p>Thread-safe (synchronized).
 */
public final class EpochHistory {

    static final String FILE = "epochs";
    private static final String HEADER = "# timberdb leader epochs v1: epoch start-sequence";

    /** One epoch and the sequence of its first entry. */
    public record Epoch(long epoch, long startSequence) {
    }

    private final Path file;
    private final List<Epoch> epochs;

    private EpochHistory(Path file, List<Epoch> epochs) {
        this.file = file;
        this.epochs = epochs;
    }

    /** Whether the shard in {@code shardDir} is replicated (has an epoch history). */
    static boolean exists(Path shardDir) {
        return Files.exists(shardDir.resolve(FILE));
    }

    /** Loads the history of the shard in {@code shardDir}, creating an empty one if it has none. */
    static EpochHistory load(Path shardDir) throws IOException {
        Path file = shardDir.resolve(FILE);
        List<Epoch> epochs = new ArrayList<>();
        if (!Files.exists(file)) {
            EpochHistory created = new EpochHistory(file, epochs);
            created.save();
            return created;
        }
        int line = 0;
        for (String text : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            line++;
            if (text.isBlank() || text.startsWith("#")) {
                continue;
            }
            String[] parts = text.trim().split(" ");
            try {
                Epoch epoch = new Epoch(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                if (!epochs.isEmpty() && (epoch.epoch() <= last(epochs).epoch()
                        || epoch.startSequence() < last(epochs).startSequence())) {
                    throw new IOException(file + ": line " + line + " goes back: " + text);
                }
                epochs.add(epoch);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IOException(file + ": line " + line + " is not 'epoch start': " + text);
            }
        }
        return new EpochHistory(file, epochs);
    }

    private static Epoch last(List<Epoch> epochs) {
        return epochs.get(epochs.size() - 1);
    }

    /** The newest epoch, or 0 when none is recorded. */
    public synchronized long lastEpoch() {
        return epochs.isEmpty() ? 0 : last(epochs).epoch();
    }

    /**
     * Records that epoch {@code epoch} starts at {@code startSequence}, if it is newer than the
     * newest recorded. Forced to disk before it returns.
     */
    public synchronized void begin(long epoch, long startSequence) throws IOException {
        if (!epochs.isEmpty() && epoch <= last(epochs).epoch()) {
            return;
        }
        if (!epochs.isEmpty() && startSequence < last(epochs).startSequence()) {
            throw new IllegalArgumentException("epoch " + epoch + " cannot start at " + startSequence
                    + ", before epoch " + last(epochs).epoch() + " at " + last(epochs).startSequence());
        }
        epochs.add(new Epoch(epoch, startSequence));
        save();
    }

    /**
     * Where epoch {@code epoch} ends in this log: the start of the first newer epoch recorded, or
     * {@code logEnd} when {@code epoch} is the newest or newer. An epoch older than every one
     * recorded ends where the oldest recorded starts.
     */
    public synchronized long endOf(long epoch, long logEnd) {
        for (Epoch e : epochs) {
            if (e.epoch() > epoch) {
                return e.startSequence();
            }
        }
        return logEnd;
    }

    /** Forgets the epochs that start at or after {@code sequence} (the log was cut there). */
    public synchronized void truncateFrom(long sequence) throws IOException {
        if (epochs.removeIf(e -> e.startSequence() >= sequence)) {
            save();
        }
    }

    /** The recorded epochs, oldest first. */
    public synchronized List<Epoch> epochs() {
        return List.copyOf(epochs);
    }

    private void save() throws IOException {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Epoch e : epochs) {
            out.append(e.epoch()).append(' ').append(e.startSequence()).append('\n');
        }
        Directories.replaceDurably(file, out.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
