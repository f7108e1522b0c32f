package io.timberdb.storage.wal;

import java.nio.file.Path;

/**
 * A WAL segment or record carries a format version this build does not read (written by a
 * newer TimberDB, or damaged). Opening the log fails; nothing is truncated. Immutable; thread-safe.
 */
public class UnsupportedWalVersionException extends RuntimeException {

    private final transient Path file;
    private final int version;

    public UnsupportedWalVersionException(Path file, int version) {
        super(file + ": WAL format version " + version + " is not supported (this build reads "
                + WalFormat.MIN_SUPPORTED_VERSION + ".." + WalFormat.CURRENT_VERSION + ")");
        this.file = file;
        this.version = version;
    }

    /** The segment file. */
    public Path file() {
        return file;
    }

    /** The version found. */
    public int version() {
        return version;
    }
}
