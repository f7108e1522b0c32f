package io.timberdb.ingest.push;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Streaming gzip (RFC 1952) over a raw {@link Inflater}: the member header is parsed by hand, the
 * deflate data inflated as it arrives, and the trailer's CRC-32 and length checked. Concatenated
 * members (what {@code cat a.gz b.gz} makes) decode to their concatenation, as
 * {@code GZIPInputStream} does.
 *
 * <pre>
 * offset  width  field
 * 0       2      magic 0x1f 0x8b
 * 2       1      CM, 8 = deflate
 * 3       1      FLG: FTEXT 0x01, FHCRC 0x02, FEXTRA 0x04, FNAME 0x08, FCOMMENT 0x10
 * 4       6      MTIME (4), XFL (1), OS (1): ignored
 * 10      …      FEXTRA: XLEN (2, little-endian) then XLEN bytes; FNAME, FCOMMENT: zero-terminated;
 *                FHCRC: 2 bytes (not checked)
 * …       …      deflate data
 * end-8   4      CRC-32 of the uncompressed data, little-endian
 * end-4   4      ISIZE: uncompressed length mod 2^32, little-endian
 * </pre>
 *
 * <p>Not thread-safe: one per request.
 */
final class GzipDecoder extends ContentDecoder {

    private static final int FIXED_HEADER = 10;
    private static final int TRAILER = 8;
    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    /** A header longer than this (a huge file name or extra field) is refused rather than buffered. */
    private static final int MAX_HEADER = 64 * 1024;

    private enum State { HEADER, DATA, TRAILER }

    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] piece = new byte[PIECE];
    private State state = State.HEADER;
    /** The bytes of a header or trailer not yet complete. */
    private byte[] pending = new byte[64];
    private int pendingLength;
    /** Uncompressed bytes of the current member, for ISIZE. */
    private long memberSize;
    /** Whether any byte arrived: an empty body is an empty body, not a truncated gzip stream. */
    private boolean started;

    @Override
    public void decode(ByteBuffer in, Consumer<ByteBuffer> out) {
        started |= in.hasRemaining();
        while (in.hasRemaining()) {
            switch (state) {
                case HEADER -> header(in);
                case DATA -> inflate(in, out);
                case TRAILER -> trailer(in);
            }
        }
    }

    @Override
    public void finish() {
        if (started && (state != State.HEADER || pendingLength > 0)) {
            throw malformed("gzip", "the body ends inside a gzip member");
        }
    }

    @Override
    public void close() {
        inflater.end();
    }

    private void header(ByteBuffer in) {
        int length = headerLength(in);
        if (length < 0) {
            return; // all of in is pending
        }
        // the header's bytes are pending[0, pendingLength) followed by in's: skip those of in
        in.position(in.position() + (length - pendingLength));
        pendingLength = 0;
        inflater.reset();
        crc.reset();
        memberSize = 0;
        state = State.DATA;
    }

    /**
     * The header's length, counting the pending bytes first, once it is complete; otherwise -1
     * with all of {@code in} moved to the pending bytes.
     */
    private int headerLength(ByteBuffer in) {
        byte[] view = peek(in);
        int n = view.length;
        if (n >= 2 && ((view[0] & 0xff) != 0x1f || (view[1] & 0xff) != 0x8b)) {
            throw malformed("gzip", "no gzip magic at the start of a member");
        }
        if (n >= 3 && view[2] != 8) {
            throw malformed("gzip", "compression method " + (view[2] & 0xff) + " is not deflate");
        }
        int at = FIXED_HEADER;
        if (n >= at) {
            int flags = view[3] & 0xff;
            if ((flags & FEXTRA) != 0) {
                at = n >= at + 2 ? at + 2 + ((view[at] & 0xff) | (view[at + 1] & 0xff) << 8) : Integer.MAX_VALUE;
            }
            if ((flags & FNAME) != 0) {
                at = afterZero(view, at, n);
            }
            if ((flags & FCOMMENT) != 0) {
                at = afterZero(view, at, n);
            }
            if ((flags & FHCRC) != 0 && at != Integer.MAX_VALUE) {
                at += 2;
            }
            if (at <= n) {
                return at;
            }
        }
        if (n > MAX_HEADER) {
            throw malformed("gzip", "the member header is longer than " + MAX_HEADER + " bytes");
        }
        keep(in);
        return -1;
    }

    /** The index after the zero byte at or after {@code from}, or MAX_VALUE when it has not arrived. */
    private static int afterZero(byte[] view, int from, int n) {
        for (int i = from; i < n; i++) {
            if (view[i] == 0) {
                return i + 1;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** The pending bytes followed by those of {@code in} (whose position does not move). */
    private byte[] peek(ByteBuffer in) {
        int n = pendingLength + in.remaining();
        byte[] view = Arrays.copyOf(pending, Math.min(n, pendingLength + MAX_HEADER + 1));
        in.duplicate().get(view, pendingLength, view.length - pendingLength);
        return view;
    }

    /** Moves all of {@code in} to the pending bytes. */
    private void keep(ByteBuffer in) {
        int n = pendingLength + in.remaining();
        if (n > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(n, 2 * pending.length));
        }
        in.get(pending, pendingLength, in.remaining());
        pendingLength = n;
    }

    private void inflate(ByteBuffer in, Consumer<ByteBuffer> out) {
        inflater.setInput(in); // the inflater moves in's position as it consumes
        try {
            while (true) {
                int n = inflater.inflate(piece);
                if (n > 0) {
                    crc.update(piece, 0, n);
                    memberSize += n;
                    out.accept(ByteBuffer.wrap(piece, 0, n));
                }
                if (inflater.finished()) {
                    state = State.TRAILER;
                    return;
                }
                if (inflater.needsDictionary()) {
                    throw malformed("gzip", "the deflate stream asks for a preset dictionary");
                }
                if (n == 0) {
                    return; // needs more input: all of in is consumed
                }
            }
        } catch (DataFormatException e) {
            throw malformed("gzip", e.getMessage());
        }
    }

    private void trailer(ByteBuffer in) {
        int take = Math.min(TRAILER - pendingLength, in.remaining());
        in.get(pending, pendingLength, take);
        pendingLength += take;
        if (pendingLength < TRAILER) {
            return;
        }
        pendingLength = 0;
        if (littleEndian(0) != crc.getValue()) {
            throw malformed("gzip", "the CRC-32 of the data does not match the trailer's");
        }
        if (littleEndian(4) != (memberSize & 0xffff_ffffL)) {
            throw malformed("gzip", "the length of the data does not match the trailer's");
        }
        state = State.HEADER;
    }

    private long littleEndian(int at) {
        return (pending[at] & 0xffL) | (pending[at + 1] & 0xffL) << 8 | (pending[at + 2] & 0xffL) << 16
                | (pending[at + 3] & 0xffL) << 24;
    }
}
