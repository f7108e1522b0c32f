package io.timberdb.coordinator.raft;

/**
 * The metadata group could not commit a proposal. When {@link #retryable()} the same command may
 * be proposed again (to this voter or the new leader); the entry was then either never appended
 * or will be applied at most once per distinct command, since commands are idempotent by id.
 */
public class ProposalException extends RuntimeException {

    private final boolean retryable;

    public ProposalException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    /** Whether trying again later (possibly elsewhere) may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
