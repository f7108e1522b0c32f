package io.timberdb.storage.block;

import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;

/**
 * Bit packing, as the page columns use it ({@link PageFormat}): values of {@code w} bits each
 * (0..64) back to back, most significant bit first, in {@code ceil(bits / 8)} bytes whose last
 * byte's unused low bits are 0. A value of 0 bits takes no space and reads as 0. Three values 0, 2,
 * 1 of 2 bits: the byte 0x24 (00 10 01 00). {@link Writer} and {@link Reader} stream values of
 * varying widths; {@link #pack} and {@link #unpack} a run of one width.
 *
 * <p>Stateless; thread-safe. A writer or reader is not thread-safe.
 */
final class BitPacking {

    private BitPacking() {
    }

    /** The bits needed for {@code max} read as unsigned: 0 for 0, 64 for a negative value. */
    static int width(long max) {
        return Long.SIZE - Long.numberOfLeadingZeros(max);
    }

    /** The bytes {@code count} values of {@code width} bits take. */
    static long length(int count, int width) {
        return ((long) count * width + Byte.SIZE - 1) / Byte.SIZE;
    }

    /** Appends {@code values[from .. from+count)}, each of which fits in {@code width} bits. */
    static void pack(ByteSink sink, long[] values, int from, int count, int width) {
        Writer writer = new Writer(sink);
        for (int i = from; i < from + count; i++) {
            writer.write(values[i], width);
        }
        writer.finish();
    }

    /**
     * Reads {@code count} values of {@code width} bits into {@code into[0 .. count)}.
     *
     * @throws CodecException when fewer bytes remain than they take, or the padding bits are not 0
     */
    static void unpack(ByteSource in, long[] into, int count, int width) {
        if (width < 0 || width > Long.SIZE) {
            throw new CodecException("bit width " + width + " is not in 0..64");
        }
        long length = length(count, width);
        if (length > in.remaining()) {
            throw new CodecException(count + " values of " + width + " bits need " + length + " bytes, "
                    + in.remaining() + " left");
        }
        Reader reader = new Reader(in);
        for (int i = 0; i < count; i++) {
            into[i] = reader.read(width);
        }
        reader.finish();
    }

    /** Appends values of any width to a sink as one bit stream. */
    static final class Writer {

        private final ByteSink sink;
        /** The pending bits are the low {@code pending} ones (fewer than 8 between calls); older bits shift out. */
        private long bits;
        private int pending;

        Writer(ByteSink sink) {
            this.sink = sink;
        }

        /** Appends the low {@code width} bits of {@code value}, which must fit in them. */
        void write(long value, int width) {
            int left = width;
            while (left > 0) {
                int take = Math.min(left, Long.SIZE - Byte.SIZE); // room in `bits` beside < 8 pending bits
                left -= take;
                bits = bits << take | (value >>> left) & ((1L << take) - 1);
                pending += take;
                while (pending >= Byte.SIZE) {
                    pending -= Byte.SIZE;
                    sink.u8((int) (bits >>> pending));
                }
            }
        }

        /** Appends {@code q} (0..62) in unary: {@code q} one bits, then a zero bit. */
        void writeUnary(int q) {
            write(((1L << q) - 1) << 1, q + 1);
        }

        /** Writes the last, zero-padded byte, if any. */
        void finish() {
            if (pending > 0) {
                sink.u8((int) (bits << (Byte.SIZE - pending)));
                pending = 0;
            }
        }
    }

    /** Reads values of any width from a bit stream. */
    static final class Reader {

        private final ByteSource in;
        /** The unread bits are the low {@code pending} ones (at most 56 after a read); older bits shift out. */
        private long bits;
        private int pending;

        Reader(ByteSource in) {
            this.in = in;
        }

        /**
         * The next {@code width} bits (0..64) as an unsigned value.
         *
         * @throws CodecException when the bytes run out
         */
        long read(int width) {
            if (width > Long.SIZE - Byte.SIZE) { // more than the buffer can take beside a partial byte: two reads
                int low = width - Integer.SIZE;
                return read(Integer.SIZE) << low | read(low);
            }
            while (pending < width) {
                bits = bits << Byte.SIZE | in.u8();
                pending += Byte.SIZE;
            }
            pending -= width;
            return width == 0 ? 0 : (bits >>> pending) & (-1L >>> (Long.SIZE - width));
        }

        /**
         * The next value in unary ({@link Writer#writeUnary}): the one bits before the next zero bit.
         *
         * @throws CodecException when there are more than {@code max} of them, or the bytes run out
         */
        int readUnary(int max) {
            int q = 0;
            while (true) {
                if (pending == 0) {
                    bits = bits << Byte.SIZE | in.u8();
                    pending = Byte.SIZE;
                }
                // the run of ones at the top of the pending bits, at most all of them
                long top = ~(bits << (Long.SIZE - pending));
                int ones = Math.min(Long.numberOfLeadingZeros(top), pending);
                q += ones;
                if (q > max) {
                    throw new CodecException("a unary value of more than " + max + " bits");
                }
                pending -= ones;
                if (pending > 0) {
                    pending--; // the zero that ends it
                    return q;
                }
            }
        }

        /**
         * Skips the next {@code count} bits.
         *
         * @throws CodecException when the bytes run out
         */
        void skip(long count) {
            if (count <= pending) {
                pending -= (int) count;
                return;
            }
            long rest = count - pending;
            pending = 0;
            long bytes = rest / Byte.SIZE;
            if (bytes > in.remaining()) {
                throw new CodecException("bit-packed values run past the end");
            }
            in.skip((int) bytes);
            read((int) (rest % Byte.SIZE));
        }

        /**
         * Ends the stream at a byte boundary.
         *
         * @throws CodecException when the padding bits of the last byte are not 0
         */
        void finish() {
            if ((bits & ((1L << pending) - 1)) != 0) {
                throw new CodecException("bit-packing padding bits are not 0");
            }
            pending = 0;
        }
    }
}
