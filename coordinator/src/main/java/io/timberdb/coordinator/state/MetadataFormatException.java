package io.timberdb.coordinator.state;

/**
 * A Raft log entry or snapshot that cannot be decoded: wrong magic, a format version this build
 * does not read, or a malformed body. Applying past such an entry would make this voter differ
 * from the others, so the Raft layer stops the voter instead.
 */
public class MetadataFormatException extends RuntimeException {

    /**
     * @param what which record, e.g. {@code "command"} or {@code "snapshot"}
     * @param reason what is wrong with it
     */
    public MetadataFormatException(String what, String reason, Throwable cause) {
        super(what + ": " + reason, cause);
    }

    public MetadataFormatException(String what, String reason) {
        this(what, reason, null);
    }
}
