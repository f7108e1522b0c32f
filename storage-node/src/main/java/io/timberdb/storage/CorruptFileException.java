package io.timberdb.storage;

import java.nio.file.Path;

/**
 * A file of the storage engine holds bytes that are not what its format says, at a known
 * offset. Each format has its own subclass, which says what is done about it. Immutable;
 * thread-safe.
 */
public abstract class CorruptFileException extends RuntimeException {

    private final transient Path file;
    private final long offset;

    protected CorruptFileException(Path file, long offset, String reason) {
        super(file + " at offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** The byte offset in {@link #file()} where the damage was found (a record, a chunk, a section, a field). */
    public long offset() {
        return offset;
    }
}
