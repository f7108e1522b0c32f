package io.timberdb.ingest.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a syslog TCP stream into messages (one {@code byte[]} each), by either framing of RFC 6587,
 * told apart frame by frame by the frame's first byte:
 *
 * <ul>
 *   <li>a digit 1-9: octet counting, {@code MSG-LEN SP SYSLOG-MSG}. A length above the maximum
 *       frame size, or a length not ended by a space, is refused: the stream cannot be
 *       resynchronised past it, so the connection is closed and the rest discarded;</li>
 *   <li>anything else: non-transparent framing, the message up to an LF (a CR before it dropped;
 *       empty lines skipped). A line longer than the maximum is refused and skipped up to its LF;
 *       the connection stays open. A last line the peer ends without an LF is taken.</li>
 * </ul>
 *
 * Each refused frame is reported once to {@code onRefused}. At most the maximum frame size (plus
 * the length digits) is buffered, so a connection holds bounded memory however it frames.
 *
 * <p>Not thread-safe: one instance per connection, called on its event loop.
 */
final class SyslogFrameDecoder extends ByteToMessageDecoder {

    private final int maxFrameSize;
    private final Runnable onRefused;
    /** Skipping an over-long line up to its LF. */
    private boolean discarding;
    /** An octet-counted frame was refused: everything after it is discarded. */
    private boolean closed;

    SyslogFrameDecoder(int maxFrameSize, Runnable onRefused) {
        this.maxFrameSize = maxFrameSize;
        this.onRefused = onRefused;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (closed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (discarding) {
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                in.skipBytes(in.readableBytes());
                return;
            }
            in.readerIndex(lf + 1);
            discarding = false;
            return;
        }
        byte first = in.getByte(in.readerIndex());
        if (first >= '1' && first <= '9') {
            octetCounted(ctx, in, out);
        } else {
            line(in, out);
        }
    }

    private void octetCounted(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        long length = 0;
        int i = in.readerIndex();
        while (i < in.writerIndex() && SyslogParser.isDigit(in.getByte(i))) {
            length = length * 10 + (in.getByte(i) - '0');
            if (length > maxFrameSize) {
                refuseStream(ctx, in);
                return;
            }
            i++;
        }
        if (i == in.writerIndex()) {
            return; // the length's digits go on in the next read
        }
        if (in.getByte(i) != ' ') {
            refuseStream(ctx, in);
            return;
        }
        int header = i + 1 - in.readerIndex();
        if (in.readableBytes() < header + length) {
            return;
        }
        in.skipBytes(header);
        out.add(read(in, (int) length));
    }

    private void refuseStream(ChannelHandlerContext ctx, ByteBuf in) {
        onRefused.run();
        closed = true;
        in.skipBytes(in.readableBytes());
        ctx.close();
    }

    private void line(ByteBuf in, List<Object> out) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > maxFrameSize) {
                onRefused.run();
                discarding = true;
                in.skipBytes(in.readableBytes());
            }
            return;
        }
        int length = lf - in.readerIndex();
        if (length > maxFrameSize) {
            onRefused.run();
            in.readerIndex(lf + 1);
            return;
        }
        if (length > 0 && in.getByte(lf - 1) == '\r') {
            length--;
        }
        byte[] frame = read(in, length);
        in.readerIndex(lf + 1);
        if (frame.length > 0) {
            out.add(frame);
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (!in.isReadable()) {
            return;
        }
        byte first = in.getByte(in.readerIndex());
        if (closed || discarding || (first >= '1' && first <= '9')) {
            onRefusedIfCounted(first);
            in.skipBytes(in.readableBytes()); // a truncated octet-counted frame, or the rest of a refused one
            return;
        }
        byte[] frame = read(in, in.readableBytes());
        int length = frame.length;
        if (length > 0 && frame[length - 1] == '\r') {
            frame = Arrays.copyOf(frame, length - 1);
        }
        if (frame.length > 0) {
            out.add(frame);
        }
    }

    private void onRefusedIfCounted(byte first) {
        if (!closed && !discarding && first >= '1' && first <= '9') {
            onRefused.run();
        }
    }

    private static byte[] read(ByteBuf in, int length) {
        byte[] frame = new byte[length];
        in.readBytes(frame);
        return frame;
    }
}
