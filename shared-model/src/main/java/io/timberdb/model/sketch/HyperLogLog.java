package io.timberdb.model.sketch;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.timberdb.model.hash.Murmur3;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A HyperLogLog sketch of a set of text values: it estimates how many distinct values were
 * {@linkplain #add added}, in bounded memory, and {@linkplain #merge merges} with the sketch of
 * another part of the data into exactly the sketch of the union. It answers
 * {@code count_distinct}.
 *
 * <h2>What it counts and how well</h2>
 * A value is hashed to 64 bits (the first half of {@link Murmur3} x64 128 of its UTF-8 bytes, seed
 * 0); the sketch depends only on the <em>set</em> of hashes, never on the order of adds and merges
 * or on how the values were split into parts. It has two forms, the one used being a function of
 * that set alone:
 * <ul>
 *   <li><b>exact</b>, while at most {@value #EXACT_LIMIT} distinct hashes were seen: it keeps them
 *       all and {@link #estimate()} is their number, exactly (two distinct values count once only
 *       if their 64-bit hashes collide: for n values, a chance of about n²/2⁶⁵);</li>
 *   <li><b>registers</b>, past that: 2<sup>{@value #PRECISION}</sup> registers, each the largest
 *       rank (leading zeros + 1) of the 50 hash bits after the register's 14-bit index, and the
 *       estimate is Ertl's improved estimator (O. Ertl, <i>New cardinality estimation algorithms for
 *       HyperLogLog sketches</i>, 2017), which needs neither a linear-counting switch nor
 *       bias-correction tables and is nearly unbiased over the whole range. Its relative standard
 *       error is 1.04/√2<sup>14</sup> = {@value #STANDARD_ERROR} (0.81%); three standard errors
 *       (2.4%) bound 99.7% of estimates. Just past the exact limit it is more accurate than that
 *       (few registers are set). The estimate is never below {@value #EXACT_LIMIT} + 1, which a
 *       sketch in this form is known to exceed.</li>
 * </ul>
 * The estimate is computed in plain IEEE 754 double arithmetic (no {@code Math.log}), so the same
 * registers give the same answer on every JVM.
 *
 * <p>Memory: 8 bytes a hash in the exact form, 16 KiB of registers past it. Serialized (see
 * {@link HyperLogLogFormat} for the byte layout), at most 12 KiB + 9 bytes in either form: the
 * exact limit is set where the hashes take as many bytes as the packed registers. It travels in JSON as the base64 (RFC 4648, padded) of
 * those bytes.
 *
 * <p>Not thread-safe: one instance per group of a scan or a merge.
 */
public final class HyperLogLog {

    /** p: the register index takes the first p bits of a hash. */
    public static final int PRECISION = 14;
    /** m = 2^p registers. */
    static final int REGISTERS = 1 << PRECISION;
    /** The largest register value: the 64 - p bits after the index all zero. */
    static final int MAX_RANK = Long.SIZE - PRECISION + 1;
    /** Up to this many distinct hashes the sketch is exact; as many bytes as its packed registers. */
    public static final int EXACT_LIMIT = HyperLogLogFormat.REGISTERS_BODY_LENGTH / Long.BYTES;
    /** The relative standard error of the register form's estimate: 1.04 / √m, m = 2^14 = 128². */
    public static final double STANDARD_ERROR = 1.04 / 128;

    /** The distinct hashes, ascending (signed), in {@code hashes[0..size)}; null in the register form. */
    private long[] hashes;
    private int size;
    /** One rank a register; null in the exact form. */
    private byte[] registers;
    private final long[] scratch = new long[2];

    /** An empty sketch. */
    public HyperLogLog() {
        this.hashes = new long[8];
    }

    private HyperLogLog(long[] hashes, int size, byte[] registers) {
        this.hashes = hashes;
        this.size = size;
        this.registers = registers;
    }

    /** A sketch in the exact form of {@code sorted[0..size)}: distinct hashes, ascending. */
    static HyperLogLog ofHashes(long[] sorted, int size) {
        return new HyperLogLog(sorted, size, null);
    }

    /** A sketch in the register form. */
    static HyperLogLog ofRegisters(byte[] registers) {
        return new HyperLogLog(null, 0, registers);
    }

    /** Adds a value. */
    public void add(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        Murmur3.hash128(utf8, 0, utf8.length, 0, scratch);
        addHash(scratch[0]);
    }

    /** Adds a value's hash. */
    void addHash(long hash) {
        if (registers != null) {
            addToRegisters(registers, hash);
            return;
        }
        int at = Arrays.binarySearch(hashes, 0, size, hash);
        if (at >= 0) {
            return;
        }
        int insert = -at - 1;
        if (size == hashes.length) {
            hashes = Arrays.copyOf(hashes, Math.min(hashes.length * 2, EXACT_LIMIT + 1));
        }
        System.arraycopy(hashes, insert, hashes, insert + 1, size - insert);
        hashes[insert] = hash;
        size++;
        if (size > EXACT_LIMIT) {
            toRegisters();
        }
    }

    /** Adds what {@code other} has seen; {@code other} is not changed. */
    public void merge(HyperLogLog other) {
        if (other.registers == null) {
            for (int i = 0; i < other.size; i++) {
                addHash(other.hashes[i]);
            }
            return;
        }
        if (registers == null) {
            toRegisters();
        }
        for (int i = 0; i < REGISTERS; i++) {
            registers[i] = (byte) Math.max(registers[i], other.registers[i]);
        }
    }

    /** The estimated number of distinct values: exact up to {@value #EXACT_LIMIT}, see the class comment. */
    public long estimate() {
        if (registers == null) {
            return size;
        }
        return Math.max(Math.round(ErtlEstimator.estimate(registers, MAX_RANK - 1)), EXACT_LIMIT + 1L);
    }

    /** Whether the sketch still holds every hash, so that {@link #estimate()} is exact. */
    public boolean isExact() {
        return registers == null;
    }

    /** An independent copy. */
    public HyperLogLog copy() {
        return registers == null ? ofHashes(Arrays.copyOf(hashes, Math.max(size, 1)), size)
                : ofRegisters(registers.clone());
    }

    /** The serialized form (see {@link HyperLogLogFormat}). */
    public byte[] toBytes() {
        return registers == null ? HyperLogLogFormat.writeExact(hashes, size) : HyperLogLogFormat.writeRegisters(registers);
    }

    /**
     * Reads the serialized form.
     *
     * @throws UnsupportedSketchVersionException for a format version this build does not read
     * @throws SketchFormatException for bytes that are not a sketch
     */
    public static HyperLogLog fromBytes(byte[] bytes) {
        return HyperLogLogFormat.read(bytes);
    }

    /** The JSON form: base64 of {@link #toBytes()}. */
    @JsonValue
    public String toBase64() {
        return Base64.getEncoder().encodeToString(toBytes());
    }

    /**
     * Reads the JSON form.
     *
     * @throws SketchFormatException for text that is not base64 of a sketch (or
     *         {@link UnsupportedSketchVersionException})
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static HyperLogLog fromBase64(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new SketchFormatException("not base64: " + e.getMessage());
        }
        return fromBytes(bytes);
    }

    /** The bytes this sketch takes on the heap, roughly (its arrays). */
    public long heapBytes() {
        return registers == null ? (long) hashes.length * Long.BYTES : registers.length;
    }

    /** Sketches are equal when they hold the same hashes or the same registers: when they saw the same set. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HyperLogLog other && size == other.size
                && Arrays.equals(registers, other.registers)
                && (registers != null || Arrays.equals(hashes, 0, size, other.hashes, 0, size));
    }

    @Override
    public int hashCode() {
        return registers != null ? Arrays.hashCode(registers) : Arrays.hashCode(Arrays.copyOf(hashes, size));
    }

    @Override
    public String toString() {
        return "HyperLogLog[" + (registers == null ? "exact, " : "registers, ") + estimate() + "]";
    }

    private void toRegisters() {
        byte[] r = new byte[REGISTERS];
        for (int i = 0; i < size; i++) {
            addToRegisters(r, hashes[i]);
        }
        registers = r;
        hashes = null;
        size = 0;
    }

    private static void addToRegisters(byte[] registers, long hash) {
        int index = (int) (hash >>> (Long.SIZE - PRECISION));
        // the rank of the bits after the index; all zero gives MAX_RANK
        int rank = Math.min(Long.numberOfLeadingZeros(hash << PRECISION), MAX_RANK - 1) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
    }
}
