package io.timberdb.storage.shard;

import io.timberdb.storage.fs.Directories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A replicated shard's checkpoint of its committed point, in the {@value #FILE} file: after a
 * restart, the replayed entries below it are visible at once, and the rest wait until the leader's
 * high watermark reaches them again. A stale checkpoint only delays visibility; it never shows an
 * uncommitted entry, since the committed point only grows while a log is not cut, and a cut
 * rewrites it first.
 */
final class HighWatermarkFile {

    static final String FILE = "high-watermark";

    private HighWatermarkFile() {
    }

    /** The checkpointed committed point, 0 when there is none (or it is unreadable). */
    static long read(Path shardDir) {
        Path file = shardDir.resolve(FILE);
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0; // visibility waits for the leader instead
        }
    }

    static void write(Path shardDir, long committed) throws IOException {
        Directories.replaceDurably(shardDir.resolve(FILE), (committed + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
