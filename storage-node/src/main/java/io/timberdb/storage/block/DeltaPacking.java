package io.timberdb.storage.block;

import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import java.util.Arrays;

/**
 * A run of 64-bit values as bit-packed deltas with a frame of reference (the version 4 timestamps
 * and ids columns, {@link PageFormat}). Deltas {@code d[i] = v[i] − v[i−1]} wrap at 64 bits; most
 * are packed as {@code d[i] − base} in w bits, and the rest — where a page moves to the next source
 * and its values jump, and outliers that would widen every packed delta — are stored apart as
 * exceptions:
 * <pre>
 *  zigzag varlong  v[0]
 *  varint          x, the exceptions (0..n−1), then x × (varint i − the previous exception's i (the
 *                  first's previous is 0), so at least 1; zigzag varlong d[i]), ascending by i
 *  zigzag varlong  base, the least packed delta (0 when none is packed)
 *  u8              w, the bits of the largest packed (d[i] − base) read as unsigned (0..64)
 *  bytes           (n − 1 − x) × w-bit (d[i] − base) of the other deltas in order, {@link BitPacking}
 * </pre>
 * The writer picks base and w for the fewest bytes, counting an exception as about 5 bytes.
 * Deltas 10, 12, 11, 900, 10 (n = 6): one exception (i = 4, 900), base 10, w 2, offsets 0 2 1 0.
 *
 * <p>Stateless; thread-safe.
 */
final class DeltaPacking {

    /** About what a delta stored apart costs: a varint gap and a zigzag varlong of a few bytes. */
    private static final int EXCEPTION_BITS = 40;
    /** The most of the smallest deltas that may be stored apart rather than lower the frame's base. */
    private static final int MAX_LOW_OUTLIERS = 8;

    private DeltaPacking() {
    }

    /**
     * Appends {@code values[0 .. n)}. The deltas at the entries where {@code restarts} is true
     * (entry 0's is ignored) are exceptions, and so are outliers where that takes fewer bytes than
     * widening every packed delta for them. Overwrites {@code scratch[0 .. n)}.
     */
    static void encode(ByteSink sink, long[] values, int n, boolean[] restarts, long[] scratch) {
        int m = 0;
        for (int i = 1; i < n; i++) {
            if (!restarts[i]) {
                scratch[m++] = values[i] - values[i - 1];
            }
        }
        long base = 0;
        int width = 0;
        if (m > 0) {
            Arrays.sort(scratch, 0, m);
            long frame = frame(scratch, m);
            base = scratch[(int) (frame >>> 8)];
            width = (int) frame & 0xFF;
        }
        sink.varlong(ByteSink.zigzag(values[0]));
        int exceptions = 0;
        for (int i = 1; i < n; i++) {
            exceptions += isException(values[i] - values[i - 1], restarts[i], base, width) ? 1 : 0;
        }
        sink.varint(exceptions);
        int previous = 0;
        int packed = 0;
        long max = 0; // unsigned
        for (int i = 1; i < n; i++) {
            long delta = values[i] - values[i - 1];
            if (isException(delta, restarts[i], base, width)) {
                sink.varint(i - previous).varlong(ByteSink.zigzag(delta));
                previous = i;
            } else {
                long offset = delta - base;
                max = Long.compareUnsigned(offset, max) > 0 ? offset : max;
                scratch[packed++] = offset;
            }
        }
        width = BitPacking.width(max);
        sink.varlong(ByteSink.zigzag(packed == 0 ? 0 : base)).u8(width);
        BitPacking.pack(sink, scratch, 0, packed, width);
    }

    private static boolean isException(long delta, boolean restart, long base, int width) {
        return restart || (width < Long.SIZE && Long.compareUnsigned(delta - base, 1L << width) >= 0);
    }

    /**
     * The frame of the {@code m} ascending deltas {@code sorted} that packs them in the fewest
     * bits, with those outside it stored apart at about {@value #EXCEPTION_BITS} bits each: its
     * base as an index into {@code sorted} (one of the first few, so that low outliers can fall
     * out too) shifted left by 8, or'ed with its width.
     */
    private static long frame(long[] sorted, int m) {
        long best = Long.MAX_VALUE;
        long choice = 0;
        for (int b = 0; b < Math.min(m, MAX_LOW_OUTLIERS + 1); b++) {
            int end = b; // sorted[b .. end) fit in `w` bits above sorted[b]
            for (int w = 0; w <= Long.SIZE; w++) {
                while (end < m && (w == Long.SIZE || Long.compareUnsigned(sorted[end] - sorted[b], 1L << w) < 0)) {
                    end++;
                }
                long cost = (long) (end - b) * w + (long) (m - (end - b)) * EXCEPTION_BITS;
                if (cost < best) {
                    best = cost;
                    choice = (long) b << 8 | w;
                }
                if (end == m) {
                    break;
                }
            }
        }
        return choice;
    }

    /** Reads {@code n} values written by {@link #encode}. */
    static long[] decode(ByteSource in, int n) {
        long[] values = new long[n];
        values[0] = ByteSink.unzigzag(in.varlong());
        int exceptionCount = in.varint(n - 1, "exception count");
        int[] exceptionAt = new int[exceptionCount];
        long[] exceptions = new long[exceptionCount];
        int previous = 0;
        for (int x = 0; x < exceptionCount; x++) {
            int gap = in.varint(n - 1 - previous, "exception gap");
            if (gap == 0) {
                throw new CodecException("exception " + x + " repeats entry " + previous);
            }
            previous += gap;
            exceptionAt[x] = previous;
            exceptions[x] = ByteSink.unzigzag(in.varlong());
        }
        long base = ByteSink.unzigzag(in.varlong());
        int width = in.u8();
        long[] offsets = new long[n - 1 - exceptionCount];
        BitPacking.unpack(in, offsets, offsets.length, width);
        long max = 0; // unsigned
        long min = offsets.length == 0 ? 0 : -1;
        for (long offset : offsets) {
            max = Long.compareUnsigned(offset, max) > 0 ? offset : max;
            min = Long.compareUnsigned(offset, min) < 0 ? offset : min;
        }
        if (width != BitPacking.width(max) || min != 0 || (offsets.length == 0 && base != 0)) {
            throw new CodecException("deltas of " + width + " bits are not framed by their least and largest");
        }
        int x = 0;
        int packed = 0;
        for (int i = 1; i < n; i++) {
            long delta = x < exceptionCount && exceptionAt[x] == i ? exceptions[x++] : base + offsets[packed++];
            values[i] = values[i - 1] + delta;
        }
        return values;
    }
}
