package io.timberdb.storage.wal;

import io.timberdb.storage.CorruptFileException;
import java.nio.file.Path;

/**
 * A WAL segment holds bytes that are not a valid segment where a torn tail cannot explain them:
 * a bad magic or header, or a damaged record before the last segment. Opening the log fails;
 * nothing is truncated, so the data stays for inspection. Immutable; thread-safe.
 */
public class CorruptWalException extends CorruptFileException {

    public CorruptWalException(Path file, long offset, String reason) {
        super(file, offset, reason);
    }
}
