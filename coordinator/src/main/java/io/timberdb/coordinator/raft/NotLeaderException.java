package io.timberdb.coordinator.raft;

import java.net.URI;

/**
 * A proposal reached a voter that is not the leader: the caller should send it to
 * {@link #leaderHttpUrl()}, or wait for an election when no leader is known. Always retryable.
 */
public final class NotLeaderException extends ProposalException {

    private final String leaderId;
    private final URI leaderHttpUrl;

    /**
     * @param leaderId the leader's node id, or null during an election
     * @param leaderHttpUrl the leader's HTTP base URL, or null during an election
     */
    public NotLeaderException(String self, String leaderId, URI leaderHttpUrl) {
        super(self + " is not the metadata leader; " + (leaderId == null ? "no leader is known" : "the leader is " + leaderId),
                true);
        this.leaderId = leaderId;
        this.leaderHttpUrl = leaderHttpUrl;
    }

    /** The leader's node id, or null during an election. */
    public String leaderId() {
        return leaderId;
    }

    /** The leader's HTTP base URL, or null during an election. */
    public URI leaderHttpUrl() {
        return leaderHttpUrl;
    }
}
