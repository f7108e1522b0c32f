package io.timberdb.storage.block;

import java.nio.file.Path;

/**
 * A block file holds bytes that are not a valid block: a bad magic, a CRC mismatch, a truncated
 * file, or content that does not decode. Thrown when the block is opened (header, footer,
 * directory, dictionaries, postings) or when a damaged page or page filter is read; other pages
 * stay readable. Nothing is modified. Immutable; thread-safe.
 */
public class CorruptBlockException extends RuntimeException {

    private final transient Path file;
    private final long offset;

    public CorruptBlockException(Path file, long offset, String reason) {
        super(file + " at offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged block file. */
    public Path file() {
        return file;
    }

    /** The byte offset in {@link #file()} of the damaged structure (a chunk, a section, a field). */
    public long offset() {
        return offset;
    }
}
