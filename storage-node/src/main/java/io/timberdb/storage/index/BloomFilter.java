package io.timberdb.storage.index;

import io.timberdb.model.hash.Murmur3;
import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import java.nio.charset.StandardCharsets;

/**
 * A bloom filter over strings (a page's message tokens), sized for an expected number of items
 * and a false-positive rate. Its serialized form is part of the block format.
 *
 * <h2>Hashing (scheme {@value #SCHEME_MURMUR3_X64_128})</h2>
 * The item's UTF-8 bytes are hashed with MurmurHash3 x64 128 (seed 0), giving the reference
 * implementation's two 64-bit halves {@code h1, h2}. Bit {@code i} of the {@code k} probes
 * ({@code i = 0..k-1}) is {@code ((h1 + i * h2) & 0x7FFF_FFFF_FFFF_FFFF) mod m}, with 64-bit
 * wrapping arithmetic (Kirsch–Mitzenmacher double hashing, as Guava's MURMUR128_MITZ_64).
 * Bit {@code b} is bit {@code b mod 64} (least significant first) of word {@code b / 64}.
 *
 * <h2>Serialized layout (big-endian)</h2>
 * <pre>
 *  offset  width  type  field
 *  0       1      u8    hash scheme, {@value #SCHEME_MURMUR3_X64_128}
 *  1       1      u8    k, the number of probes, {@code 1..}{@value #MAX_HASH_COUNT}
 *  2       4      u32   w, the number of 64-bit words, {@code >= 1}; the filter has {@code m = 64 w} bits
 *  6       8 w    u64[] the words
 * </pre>
 * No checksum of its own: the block stores a CRC32C of each serialized filter. For equal
 * {@code m} and {@code k}, hashing, bit order and these bytes are those of Guava's
 * {@code BloomFilter.writeTo} with a UTF-8 string funnel, so existing tools can inspect them.
 *
 * <h2>Sizing</h2>
 * For {@code n} expected items and rate {@code p}: {@code m = ceil(-n ln p / (ln 2)^2)} rounded up
 * to a multiple of 64 (at least 64), {@code k = round(m_exact / n * ln 2)} clamped to
 * {@code 1..}{@value #MAX_HASH_COUNT}.
 *
 * <p>Not thread-safe while items are being added; once filled and safely published (as a block
 * reader does), concurrent {@link #mightContain} calls are safe, as they only read.
 */
public final class BloomFilter {

    public static final int SCHEME_MURMUR3_X64_128 = 1;
    public static final int MAX_HASH_COUNT = 30;

    static final int SCHEME_OFFSET = 0;
    static final int SCHEME_LENGTH = 1;
    static final int HASH_COUNT_OFFSET = SCHEME_OFFSET + SCHEME_LENGTH;
    static final int HASH_COUNT_LENGTH = 1;
    static final int WORD_COUNT_OFFSET = HASH_COUNT_OFFSET + HASH_COUNT_LENGTH;
    static final int WORD_COUNT_LENGTH = 4;
    static final int WORDS_OFFSET = WORD_COUNT_OFFSET + WORD_COUNT_LENGTH;

    /** The largest filter accepted on read (bits), far above what a page needs. */
    static final long MAX_BITS = 1L << 32;

    private final long[] words;
    private final int hashCount;
    private final long bitCount;

    private BloomFilter(long[] words, int hashCount) {
        this.words = words;
        this.hashCount = hashCount;
        this.bitCount = (long) words.length * Long.SIZE;
    }

    /** The two hash halves of an item, computed once and tested against many filters. */
    public record Key(long h1, long h2) {
    }

    /**
     * An empty filter for {@code expectedItems} items at {@code falsePositiveRate}.
     *
     * @throws IllegalArgumentException when {@code expectedItems < 0} or the rate is not in (0, 1)
     */
    public static BloomFilter create(int expectedItems, double falsePositiveRate) {
        if (expectedItems < 0) {
            throw new IllegalArgumentException("expected items must not be negative: " + expectedItems);
        }
        if (!(falsePositiveRate > 0 && falsePositiveRate < 1)) {
            throw new IllegalArgumentException("false-positive rate must be in (0, 1): " + falsePositiveRate);
        }
        int n = Math.max(1, expectedItems);
        double exactBits = -n * Math.log(falsePositiveRate) / (Math.log(2) * Math.log(2));
        long wordCount = Math.max(1, (long) Math.ceil(exactBits / Long.SIZE));
        if (wordCount * Long.SIZE > MAX_BITS) {
            throw new IllegalArgumentException("filter for " + expectedItems + " items at " + falsePositiveRate + " is too large");
        }
        int k = (int) Math.round(exactBits / n * Math.log(2));
        return new BloomFilter(new long[(int) wordCount], Math.max(1, Math.min(MAX_HASH_COUNT, k)));
    }

    /** The hash of {@code item} under scheme {@value #SCHEME_MURMUR3_X64_128}. */
    public static Key key(String item) {
        byte[] utf8 = item.getBytes(StandardCharsets.UTF_8);
        long[] halves = new long[2];
        Murmur3.hash128(utf8, 0, utf8.length, 0, halves);
        return new Key(halves[0], halves[1]);
    }

    public void put(String item) {
        put(key(item));
    }

    public void put(Key key) {
        put(key.h1(), key.h2());
    }

    /** As {@link #put(Key)}, for the key {@code (h1, h2)}. */
    public void put(long h1, long h2) {
        long combined = h1;
        for (int i = 0; i < hashCount; i++) {
            long bit = (combined & Long.MAX_VALUE) % bitCount;
            words[(int) (bit >>> 6)] |= 1L << bit;
            combined += h2;
        }
    }

    /** False when {@code item} was certainly never put; true when it may have been. */
    public boolean mightContain(String item) {
        return mightContain(key(item));
    }

    public boolean mightContain(Key key) {
        long combined = key.h1();
        for (int i = 0; i < hashCount; i++) {
            long bit = (combined & Long.MAX_VALUE) % bitCount;
            if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
            combined += key.h2();
        }
        return true;
    }

    /** k, the number of bits probed per item. */
    public int hashCount() {
        return hashCount;
    }

    /** m, the number of bits. */
    public long bitCount() {
        return bitCount;
    }

    /** Bytes of the serialized form. */
    public int serializedSize() {
        return WORDS_OFFSET + words.length * Long.BYTES;
    }

    public void writeTo(ByteSink sink) {
        sink.u8(SCHEME_MURMUR3_X64_128).u8(hashCount).putInt(words.length);
        for (long word : words) {
            sink.putLong(word);
        }
    }

    public byte[] toByteArray() {
        ByteSink sink = new ByteSink(serializedSize());
        writeTo(sink);
        return sink.toByteArray();
    }

    /**
     * Reads a filter written by {@link #writeTo}; consumes exactly its bytes.
     *
     * @throws CodecException when the bytes are not a filter of a known scheme
     */
    public static BloomFilter read(ByteSource source) {
        int scheme = source.u8();
        if (scheme != SCHEME_MURMUR3_X64_128) {
            throw new CodecException("unknown bloom filter hash scheme " + scheme);
        }
        int hashCount = source.u8();
        if (hashCount < 1 || hashCount > MAX_HASH_COUNT) {
            throw new CodecException("bloom filter probe count " + hashCount + " is out of range");
        }
        long wordCount = Integer.toUnsignedLong(source.getInt());
        if (wordCount < 1 || wordCount * Long.SIZE > MAX_BITS || wordCount * Long.BYTES > source.remaining()) {
            throw new CodecException("bloom filter word count " + wordCount + " does not fit the " + source.remaining() + " bytes left");
        }
        long[] words = new long[(int) wordCount];
        for (int i = 0; i < words.length; i++) {
            words[i] = source.getLong();
        }
        return new BloomFilter(words, hashCount);
    }
}
