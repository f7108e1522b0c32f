package io.timberdb.ingest.push;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Undoes a request body's {@code Content-Encoding} piece by piece, as the body's chunks arrive:
 * none ({@code identity}), {@code gzip} ({@link GzipDecoder}) or {@code zstd} ({@link ZstdDecoder}).
 * The decoded bytes are handed on in pieces of at most {@link #PIECE} bytes, so a small body that
 * decodes to a great deal (a "zip bomb") is refused by its reader's size limit after one piece
 * past it, never held whole.
 *
 * <p>Not thread-safe: one per request, fed by one thread at a time (a request body's chunks are
 * delivered in order, one after the other). {@link #close()} frees native state (zstd).
 */
public abstract class ContentDecoder implements AutoCloseable {

    /** The largest piece of decoded bytes handed on at once. */
    static final int PIECE = 64 * 1024;

    /**
     * The decoder for {@code encoding} (a {@code Content-Encoding} value; null or blank is none).
     *
     * @throws TimberException {@code UNSUPPORTED_CONTENT_ENCODING} for any other encoding
     */
    public static ContentDecoder of(String encoding) {
        String name = encoding == null ? "" : encoding.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (name) {
            case "", "identity" -> new Identity();
            case "gzip", "x-gzip" -> new GzipDecoder();
            case "zstd" -> new ZstdDecoder();
            default -> throw new TimberException(ErrorCode.UNSUPPORTED_CONTENT_ENCODING, "Content-Encoding "
                    + encoding.trim() + " is not supported; send the body as is, gzip or zstd");
        };
    }

    /**
     * Decodes all of {@code in} (its position ends at its limit), handing each decoded piece to
     * {@code out}; a piece is valid only during the call that receives it.
     *
     * @throws TimberException {@code MALFORMED_COMPRESSION} when the bytes are not valid
     */
    public abstract void decode(ByteBuffer in, Consumer<ByteBuffer> out);

    /**
     * Called after the last chunk: checks that the body did not end inside a compressed frame.
     *
     * @throws TimberException {@code MALFORMED_COMPRESSION} for a truncated body
     */
    public abstract void finish();

    @Override
    public void close() {
    }

    static TimberException malformed(String encoding, String why) {
        return new TimberException(ErrorCode.MALFORMED_COMPRESSION, "the body is not valid " + encoding + ": " + why);
    }

    /** No encoding: the chunks are handed on as they are. */
    private static final class Identity extends ContentDecoder {

        @Override
        public void decode(ByteBuffer in, Consumer<ByteBuffer> out) {
            while (in.hasRemaining()) {
                int end = in.position() + Math.min(PIECE, in.remaining());
                ByteBuffer piece = in.slice(in.position(), end - in.position());
                in.position(end);
                out.accept(piece);
            }
        }

        @Override
        public void finish() {
        }
    }
}
