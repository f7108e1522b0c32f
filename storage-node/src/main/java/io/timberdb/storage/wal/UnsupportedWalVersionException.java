package io.timberdb.storage.wal;

import io.timberdb.storage.UnsupportedFormatException;
import java.nio.file.Path;

/**
 * A WAL segment or record carries a format version this build does not read (written by a
 * newer TimberDB, or damaged). Opening the log fails; nothing is truncated. Immutable; thread-safe.
 */
public class UnsupportedWalVersionException extends UnsupportedFormatException {

    public UnsupportedWalVersionException(Path file, int version) {
        super(file, "WAL", version, WalFormat.MIN_SUPPORTED_VERSION, WalFormat.CURRENT_VERSION);
    }
}
