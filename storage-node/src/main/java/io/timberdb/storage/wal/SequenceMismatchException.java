package io.timberdb.storage.wal;

/**
 * A batch meant for a given base sequence ({@link WriteAheadLog#appendAt}) reached a log whose next
 * sequence is another: nothing of it was written. A follower gets it when its log moved under a
 * fetch (a truncation, a concurrent copy) and fetches again from its log's end.
 */
public final class SequenceMismatchException extends RuntimeException {

    private final long expected;
    private final long actual;

    public SequenceMismatchException(String log, long expected, long actual) {
        super("the WAL of shard " + log + " is at sequence " + actual + ", not " + expected);
        this.expected = expected;
        this.actual = actual;
    }

    /** The base sequence the batch asked for. */
    public long expected() {
        return expected;
    }

    /** The log's next sequence when the batch was about to be written. */
    public long actual() {
        return actual;
    }
}
