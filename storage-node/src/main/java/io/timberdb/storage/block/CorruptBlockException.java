package io.timberdb.storage.block;

import io.timberdb.storage.CorruptFileException;
import java.nio.file.Path;

/**
 * A block file holds bytes that are not a valid block: a bad magic, a CRC mismatch, a truncated
 * file, or content that does not decode. Thrown when the block is opened (header, footer,
 * directory, dictionaries, postings) or when a damaged page or page filter is read; other pages
 * stay readable. Nothing is modified. Immutable; thread-safe.
 */
public class CorruptBlockException extends CorruptFileException {

    public CorruptBlockException(Path file, long offset, String reason) {
        super(file, offset, reason);
    }
}
