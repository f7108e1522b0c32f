package io.timberdb.storage.manifest;

/** A manifest file that cannot be trusted: bad magic, CRC mismatch, unknown version, truncated records. */
public final class CorruptManifestException extends RuntimeException {

    public CorruptManifestException(String where, String reason) {
        super("manifest " + where + " is corrupt: " + reason);
    }
}
