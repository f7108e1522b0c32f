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
 *  u8              w, the bits of the largest packed (d[i] − base) read as unsigned (0..64); or, from
 *                  format version 6 on, 0x80 | k (k in 0..62): the offsets are Rice-coded
 *  bytes           the (n − 1 − x) offsets (d[i] − base) of the other deltas in order, {@link BitPacking}:
 *                  each in w bits; or, Rice-coded, each as q = offset >>> k in unary (q one bits, a
 *                  zero bit; q ≤ 63 − k) followed by its low k bits
 * </pre>
 * The writer picks base and w for the fewest bytes, counting an exception as about 5 bytes.
 * Deltas 10, 12, 11, 900, 10 (n = 6): one exception (i = 4, 900), base 10, w 2, offsets 0 2 1 0.
 *
 * <p>Fixed-width offsets waste bits when the deltas are spread like the gaps between random events
 * (an exponential distribution: timestamps at nanosecond precision): the largest sets the width of
 * all. A Rice code spends about log2(mean) + 1.5 bits on each, near the entropy of such gaps. From
 * version 6 the writer also encodes the offsets Rice-coded, with the k its cost estimate favours
 * (deltas of more than {@value #EXCEPTION_BITS} coded bits become exceptions), and keeps whichever
 * encoding is smaller; fixed width on a tie. On the 10M-entry benchmark data set the timestamps
 * column went from 4.05 to 3.95 bytes/entry; the ids' counter deltas, which cluster at two values
 * (the next id, the next millisecond), stay fixed-width.
 *
 * <p>Stateless; thread-safe.
 */
final class DeltaPacking {

    /** About what a delta stored apart costs: a varint gap and a zigzag varlong of a few bytes. */
    private static final int EXCEPTION_BITS = 40;
    /** The flag of the width byte that says the offsets are Rice-coded; the low 7 bits are then k. */
    private static final int RICE = 0x80;
    /** The largest Rice parameter: a 63-bit offset in 62 low bits and a quotient of at most 1. */
    private static final int MAX_RICE_PARAMETER = 62;
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
        int k = -1;
        if (m > 0) {
            Arrays.sort(scratch, 0, m);
            long frame = frame(scratch, m);
            base = scratch[(int) (frame >>> 8)];
            width = (int) frame & 0xFF;
            k = riceParameter(scratch, m, base, width);
        }
        ByteSink fixed = new ByteSink(16 + n * Math.max(1, width) / Byte.SIZE);
        encodeFixed(fixed, values, n, restarts, scratch, base, width);
        if (k >= 0) {
            ByteSink rice = new ByteSink(fixed.size());
            encodeRice(rice, values, n, restarts, base, k);
            if (rice.size() < fixed.size()) {
                sink.bytes(rice.array(), 0, rice.size());
                return;
            }
        }
        sink.bytes(fixed.array(), 0, fixed.size());
    }

    /** The fixed-width encoding of a frame of {@code base} and {@code width}; overwrites {@code scratch}. */
    private static void encodeFixed(ByteSink sink, long[] values, int n, boolean[] restarts, long[] scratch,
            long base, int width) {
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
        sink.varlong(ByteSink.zigzag(packed == 0 ? 0 : base)).u8(BitPacking.width(max));
        BitPacking.pack(sink, scratch, 0, packed, BitPacking.width(max));
    }

    /** The Rice-coded encoding of offsets from {@code base} with parameter {@code k}. */
    private static void encodeRice(ByteSink sink, long[] values, int n, boolean[] restarts, long base, int k) {
        sink.varlong(ByteSink.zigzag(values[0]));
        int exceptions = 0;
        for (int i = 1; i < n; i++) {
            exceptions += isRiceException(values[i] - values[i - 1], restarts[i], base, k) ? 1 : 0;
        }
        sink.varint(exceptions);
        int previous = 0;
        for (int i = 1; i < n; i++) {
            long delta = values[i] - values[i - 1];
            if (isRiceException(delta, restarts[i], base, k)) {
                sink.varint(i - previous).varlong(ByteSink.zigzag(delta));
                previous = i;
            }
        }
        sink.varlong(ByteSink.zigzag(exceptions == n - 1 ? 0 : base)).u8(RICE | k);
        BitPacking.Writer bits = new BitPacking.Writer(sink);
        for (int i = 1; i < n; i++) {
            long delta = values[i] - values[i - 1];
            if (!isRiceException(delta, restarts[i], base, k)) {
                long offset = delta - base;
                bits.writeUnary((int) (offset >>> k));
                bits.write(offset, k);
            }
        }
        bits.finish();
    }

    /** Whether a delta is stored apart in the Rice coding: when its code would take more than {@value #EXCEPTION_BITS} bits. */
    private static boolean isRiceException(long delta, boolean restart, long base, int k) {
        return restart || riceCodeBits(delta - base, k) < 0;
    }

    /**
     * The bits of {@code offset}'s Rice code with parameter {@code k}, q + 1 + k, or -1 when it
     * is stored apart: a negative offset (below the base, or past 2^63), or a code longer than
     * {@value #EXCEPTION_BITS} bits. Compared without adding, so no offset overflows it.
     */
    private static long riceCodeBits(long offset, int k) {
        long q = offset >>> k;
        return offset < 0 || q > EXCEPTION_BITS - 1 - k ? -1 : q + 1 + k;
    }

    /**
     * The Rice parameter that codes the {@code m} ascending deltas {@code sorted}, less {@code base},
     * in the fewest bits by estimate: of the k around log2 of the mean offset of those inside the
     * fixed frame, the one whose codes (exceptions at {@value #EXCEPTION_BITS} bits) sum least;
     * -1 when the fixed frame is 0 bits wide (every delta alike: nothing to gain).
     */
    private static int riceParameter(long[] sorted, int m, long base, int width) {
        if (width == 0 || width >= Long.SIZE - 1) {
            return -1;
        }
        double sum = 0;
        int inside = 0;
        for (int i = 0; i < m; i++) {
            long offset = sorted[i] - base;
            if (offset >= 0 && offset >>> width == 0) {
                sum += offset;
                inside++;
            }
        }
        if (inside == 0) {
            return -1;
        }
        int guess = Math.max(0, BitPacking.width((long) (sum / inside * Math.log(2))) - 1);
        int best = -1;
        long bestBits = Long.MAX_VALUE;
        for (int k = Math.max(0, guess - 1); k <= Math.min(MAX_RICE_PARAMETER, guess + 1); k++) {
            long bits = 0;
            for (int i = 0; i < m; i++) {
                long code = riceCodeBits(sorted[i] - base, k);
                bits += code < 0 ? EXCEPTION_BITS : code;
            }
            if (bits < bestBits) {
                bestBits = bits;
                best = k;
            }
        }
        return best;
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

    /** Reads {@code n} values written by {@link #encode} in a block of format {@code formatVersion}. */
    static long[] decode(ByteSource in, int n, int formatVersion) {
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
        if ((width & RICE) != 0 && formatVersion >= BlockFormat.RICE_VERSION) {
            unpackRice(in, offsets, width & ~RICE, base);
        } else {
            BitPacking.unpack(in, offsets, offsets.length, width);
            checkFixedFrame(offsets, width, base);
        }
        int x = 0;
        int packed = 0;
        for (int i = 1; i < n; i++) {
            long delta = x < exceptionCount && exceptionAt[x] == i ? exceptions[x++] : base + offsets[packed++];
            values[i] = values[i - 1] + delta;
        }
        return values;
    }

    /** Reads Rice-coded offsets with parameter {@code k}; their least must be 0, as the writer frames them. */
    private static void unpackRice(ByteSource in, long[] offsets, int k, long base) {
        if (k > MAX_RICE_PARAMETER) {
            throw new CodecException("Rice parameter " + k + " is not in 0.." + MAX_RICE_PARAMETER);
        }
        BitPacking.Reader bits = new BitPacking.Reader(in);
        long min = offsets.length == 0 ? 0 : Long.MAX_VALUE;
        for (int i = 0; i < offsets.length; i++) {
            long q = bits.readUnary(Long.SIZE - 1 - k);
            offsets[i] = q << k | bits.read(k);
            min = Math.min(min, offsets[i]);
        }
        bits.finish();
        if (min != 0 || (offsets.length == 0 && base != 0)) {
            throw new CodecException("Rice-coded deltas are not framed by their least");
        }
    }

    private static void checkFixedFrame(long[] offsets, int width, long base) {
        long max = 0; // unsigned
        long min = offsets.length == 0 ? 0 : -1;
        for (long offset : offsets) {
            max = Long.compareUnsigned(offset, max) > 0 ? offset : max;
            min = Long.compareUnsigned(offset, min) < 0 ? offset : min;
        }
        if (width != BitPacking.width(max) || min != 0 || (offsets.length == 0 && base != 0)) {
            throw new CodecException("deltas of " + width + " bits are not framed by their least and largest");
        }
    }
}
