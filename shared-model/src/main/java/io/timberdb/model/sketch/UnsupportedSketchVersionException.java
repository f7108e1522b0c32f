package io.timberdb.model.sketch;

/**
 * A serialized sketch carries a format version this build does not read: written by a newer
 * TimberDB, or the version byte is damaged. Immutable; thread-safe.
 */
public class UnsupportedSketchVersionException extends SketchFormatException {

    private final int version;

    /**
     * @param version the version found
     * @param oldest the oldest version this build reads
     * @param newest the newest version this build reads (and writes)
     */
    public UnsupportedSketchVersionException(int version, int oldest, int newest) {
        super("format version " + version + " is not supported (this build reads " + oldest + ".." + newest + ")");
        this.version = version;
    }

    /** The version found. */
    public int version() {
        return version;
    }
}
