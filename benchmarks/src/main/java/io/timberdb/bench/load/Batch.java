package io.timberdb.bench.load;

/**
 * One request's worth of a data set: the bytes of {@code entries} consecutive lines.
 *
 * @param body the lines, newline-terminated, in the target's wire format
 * @param entries how many lines
 */
record Batch(byte[] body, int entries) {

    /** Tells a client that no batch follows. */
    static final Batch END = new Batch(new byte[0], 0);
}
