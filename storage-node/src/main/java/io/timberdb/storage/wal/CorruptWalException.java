package io.timberdb.storage.wal;

import java.nio.file.Path;

/**
 * A WAL segment holds bytes that are not a valid segment where a torn tail cannot explain them:
 * a bad magic or header, or a damaged record before the last segment. Opening the log fails;
 * nothing is truncated, so the data stays for inspection. Immutable; thread-safe.
 */
public class CorruptWalException extends RuntimeException {

    private final transient Path file;
    private final long offset;

    public CorruptWalException(Path file, long offset, String reason) {
        super(file + " at offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged segment file. */
    public Path file() {
        return file;
    }

    /** The byte offset in {@link #file()} where the damage was found. */
    public long offset() {
        return offset;
    }
}
