package io.timberdb.ingest.push;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Streaming zstd over zstd-jni's {@link ZstdDecompressCtx#decompressByteBufferStream}: each chunk
 * is decompressed as it arrives into a piece-sized buffer. Concatenated frames decode to their
 * concatenation, as the {@code zstd} tool does; a body that ends inside a frame is refused.
 *
 * <p>Not thread-safe: one per request. {@link #close()} frees the native context.
 */
final class ZstdDecoder extends ContentDecoder {

    private final ZstdDecompressCtx ctx = new ZstdDecompressCtx();
    private final ByteBuffer piece = ByteBuffer.allocate(PIECE);
    /** Whether the last byte fed ended a frame (true before any byte: an empty body is empty). */
    private boolean frameEnded = true;

    @Override
    public void decode(ByteBuffer chunk, Consumer<ByteBuffer> out) {
        ByteBuffer in = chunk;
        if (!in.isDirect() && !in.hasArray()) { // a read-only heap buffer: zstd-jni reads neither kind
            in = ByteBuffer.allocate(chunk.remaining()).put(chunk).flip();
        }
        try {
            while (true) {
                int consumed = in.position();
                piece.clear();
                frameEnded = ctx.decompressByteBufferStream(piece, in);
                piece.flip();
                int produced = piece.remaining();
                if (produced > 0) {
                    out.accept(piece);
                }
                if (produced < PIECE && !in.hasRemaining()) {
                    return; // all input consumed and nothing left inside (the output had room)
                }
                if (produced == 0 && in.position() == consumed) {
                    throw malformed("zstd", "the decoder makes no progress");
                }
            }
        } catch (ZstdException e) {
            throw malformed("zstd", e.getMessage());
        }
    }

    @Override
    public void finish() {
        if (!frameEnded) {
            throw malformed("zstd", "the body ends inside a zstd frame");
        }
    }

    @Override
    public void close() {
        ctx.close();
    }
}
