package io.timberdb.query.control;

/** Where a query is in its life; the lower-case name is what the status API shows. */
public enum QueryState {
    /** Executing: shards are being asked and answers merged. */
    RUNNING,
    /** Answered (possibly partial: see the response). */
    SUCCEEDED,
    /** Answered with an error. */
    FAILED,
    /** Stopped by a cancel request before it answered. */
    CANCELLED;

    public boolean finished() {
        return this != RUNNING;
    }
}
