package io.timberdb.coordinator.raft;

/**
 * A voter change the group refuses as asked, whoever leads: never retryable. Membership changes
 * that may succeed later (no leader, another change in progress, a new voter that did not catch
 * up) fail with a retryable {@link ProposalException} instead.
 */
public final class MembershipException extends ProposalException {

    /** Why the change was refused. */
    public enum Reason {
        /** No voter of the group has this id. */
        UNKNOWN_VOTER,
        /** The id or Raft address is taken by another voter. */
        CONFLICT,
        /** The change would leave the group without a voter. */
        LAST_VOTER
    }

    private final transient Reason reason;

    public MembershipException(Reason reason, String message) {
        super(message, false);
        this.reason = reason;
    }

    /** Why the change was refused. */
    public Reason reason() {
        return reason;
    }
}
