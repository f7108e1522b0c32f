package io.timberdb.storage.block;

import java.nio.file.Path;

/**
 * A block file carries a format version this build does not read: written by a newer TimberDB
 * (or the version field is damaged). Opening fails; nothing is modified. Immutable; thread-safe.
 */
public class UnsupportedBlockVersionException extends RuntimeException {

    private final transient Path file;
    private final int version;

    public UnsupportedBlockVersionException(Path file, int version) {
        super(file + ": block format version " + version + " is not supported (this build reads "
                + BlockFormat.MIN_SUPPORTED_VERSION + ".." + BlockFormat.CURRENT_VERSION + ")");
        this.file = file;
        this.version = version;
    }

    /** The block file. */
    public Path file() {
        return file;
    }

    /** The version found. */
    public int version() {
        return version;
    }
}
