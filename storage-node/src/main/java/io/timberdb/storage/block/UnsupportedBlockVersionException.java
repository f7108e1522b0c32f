package io.timberdb.storage.block;

import io.timberdb.storage.UnsupportedFormatException;
import java.nio.file.Path;

/**
 * A block file carries a format version this build does not read: written by a newer TimberDB
 * (or the version field is damaged). Opening fails; nothing is modified. Immutable; thread-safe.
 */
public class UnsupportedBlockVersionException extends UnsupportedFormatException {

    public UnsupportedBlockVersionException(Path file, int version) {
        super(file, "block", version, BlockFormat.MIN_SUPPORTED_VERSION, BlockFormat.CURRENT_VERSION);
    }
}
