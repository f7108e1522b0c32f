package io.timberdb.ingest.limit;

import java.nio.ByteBuffer;

/**
 * Reads the uncompressed length a snappy block announces: the little-endian base-128 varint
 * (at most 5 bytes, a 32-bit value) that opens it, fed a chunk at a time. The rest of the block is
 * not read. A varint longer than 5 bytes announces nothing (0); the route that decompresses the
 * block refuses it anyway.
 *
 * <p>Not thread-safe: one request's body, whose chunks arrive in order.
 */
final class SnappyLength {

    private static final int MAX_VARINT_BYTES = 5;

    private long value;
    private int read;
    private boolean done;

    /** Feeds the next chunk of the block; {@code chunk}'s position is advanced past what is read. */
    void add(ByteBuffer chunk) {
        while (!done && chunk.hasRemaining()) {
            int b = chunk.get() & 0xff;
            value |= (long) (b & 0x7f) << (7 * read);
            read++;
            if ((b & 0x80) == 0) {
                done = true;
            } else if (read == MAX_VARINT_BYTES) {
                value = 0;
                done = true;
            }
        }
    }

    /** The announced uncompressed length; 0 until the varint is complete, or when it is malformed. */
    long announced() {
        return done ? value : 0;
    }
}
