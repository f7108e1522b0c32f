package io.timberdb.ingest.limit;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Counts the bytes a gzip stream (RFC 1952, one member or several concatenated) inflates to, fed a
 * chunk at a time as the body arrives, keeping none of the output: what the rate limiter charges a
 * {@code Content-Encoding: gzip} body. It stops inflating once the count passes {@code limit}, so a
 * small body that would inflate to gigabytes costs at most that much work here. A stream it cannot
 * follow (not gzip, a broken deflate block) stops the count where it broke; the route that reads
 * the body refuses such a body as malformed anyway.
 *
 * <p>Not thread-safe: one request's body, whose chunks arrive in order.
 */
final class GzipSize {

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int FIXED_HEADER = 10;
    private static final int TRAILER = 8;

    /** Where in a member the next byte is. */
    private enum Stage { FIXED, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, DEFLATE, TRAILER, BROKEN }

    private final long limit;
    private final Inflater inflater = new Inflater(true);
    private final byte[] scratch = new byte[16 * 1024];
    private final byte[] fixed = new byte[FIXED_HEADER];
    private Stage stage = Stage.FIXED;
    /** Bytes still to read of the current stage (fixed header, extra field, header CRC, trailer). */
    private int pending = FIXED_HEADER;
    private int flags;
    private int extraLength;
    private long inflated;

    GzipSize(long limit) {
        this.limit = limit;
    }

    /** Feeds the next chunk of the stream; {@code chunk}'s position is advanced past it. */
    void add(ByteBuffer chunk) {
        while (chunk.hasRemaining() && stage != Stage.BROKEN && inflated <= limit) {
            switch (stage) {
                case FIXED -> fixed(chunk);
                case EXTRA_LENGTH -> extraLength(chunk);
                case EXTRA -> {
                    if (skipped(chunk)) {
                        stage = next(Stage.NAME);
                    }
                }
                case HEADER_CRC -> {
                    if (skipped(chunk)) {
                        stage = next(Stage.DEFLATE);
                    }
                }
                case NAME -> {
                    if (terminated(chunk)) {
                        stage = next(Stage.COMMENT);
                    }
                }
                case COMMENT -> {
                    if (terminated(chunk)) {
                        stage = next(Stage.HEADER_CRC);
                    }
                }
                case DEFLATE -> inflate(chunk);
                case TRAILER -> {
                    if (skipped(chunk)) { // the CRC and length: the route that gunzips checks them
                        stage = Stage.FIXED;
                        pending = FIXED_HEADER;
                    }
                }
                default -> throw new IllegalStateException(stage.name());
            }
        }
    }

    /** The bytes inflated so far; past {@code limit} the count stops. */
    long inflated() {
        return inflated;
    }

    /** Releases the inflater's native memory. */
    void close() {
        inflater.end();
    }

    private void fixed(ByteBuffer chunk) {
        fixed[FIXED_HEADER - pending] = chunk.get();
        if (--pending > 0) {
            return;
        }
        if ((fixed[0] & 0xff) != 0x1f || (fixed[1] & 0xff) != 0x8b || fixed[2] != 8) {
            stage = Stage.BROKEN;
            return;
        }
        flags = fixed[3] & 0xff;
        if ((flags & FEXTRA) != 0) {
            stage = Stage.EXTRA_LENGTH;
            pending = 2;
            extraLength = 0;
        } else {
            stage = next(Stage.NAME);
        }
    }

    private void extraLength(ByteBuffer chunk) {
        extraLength |= (chunk.get() & 0xff) << (8 * (2 - pending)); // little-endian
        if (--pending == 0) {
            stage = Stage.EXTRA;
            pending = extraLength;
        }
    }

    /**
     * The first stage from {@code from} on (name, comment, header CRC, deflate data) that the
     * header's flags call for, with {@code pending} set for it.
     */
    private Stage next(Stage from) {
        if (from == Stage.NAME && (flags & FNAME) != 0) {
            return Stage.NAME;
        }
        if ((from == Stage.NAME || from == Stage.COMMENT) && (flags & FCOMMENT) != 0) {
            return Stage.COMMENT;
        }
        if (from != Stage.DEFLATE && (flags & FHCRC) != 0) {
            pending = 2;
            return Stage.HEADER_CRC;
        }
        inflater.reset();
        return Stage.DEFLATE;
    }

    /** Skips up to {@code pending} bytes; whether all of them are skipped now. */
    private boolean skipped(ByteBuffer chunk) {
        int n = Math.min(pending, chunk.remaining());
        chunk.position(chunk.position() + n);
        pending -= n;
        return pending == 0;
    }

    /** Skips through a zero byte; whether it was found. */
    private static boolean terminated(ByteBuffer chunk) {
        while (chunk.hasRemaining()) {
            if (chunk.get() == 0) {
                return true;
            }
        }
        return false;
    }

    private void inflate(ByteBuffer chunk) {
        inflater.setInput(chunk);
        try {
            while (inflated <= limit) {
                int n = inflater.inflate(scratch);
                inflated += n;
                if (inflater.finished()) {
                    stage = Stage.TRAILER;
                    pending = TRAILER;
                    return;
                }
                if (n == 0) {
                    if (!inflater.needsInput()) { // a preset dictionary, which gzip never has
                        stage = Stage.BROKEN;
                    }
                    return;
                }
            }
        } catch (DataFormatException e) {
            stage = Stage.BROKEN;
        }
    }
}
