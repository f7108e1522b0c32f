package io.timberdb.storage;

import java.nio.file.Path;

/**
 * A file of the storage engine carries a format version this build does not read: written by a
 * newer TimberDB, or the version field is damaged. Each format has its own subclass. Immutable;
 * thread-safe.
 */
public abstract class UnsupportedFormatException extends RuntimeException {

    private final transient Path file;
    private final int version;

    /**
     * @param format what the file is, for the message ("block", "WAL")
     * @param oldest the oldest version this build reads
     * @param newest the newest version this build reads (and writes)
     */
    protected UnsupportedFormatException(Path file, String format, int version, int oldest, int newest) {
        super(file + ": " + format + " format version " + version + " is not supported (this build reads "
                + oldest + ".." + newest + ")");
        this.file = file;
        this.version = version;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The version found. */
    public int version() {
        return version;
    }
}
