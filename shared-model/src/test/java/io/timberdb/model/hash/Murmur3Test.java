package io.timberdb.model.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Murmur3Test {

    @Test
    void hashesTheReferenceVectorOfTheFox() {
        // the published MurmurHash3_x64_128 vector (seed 0); storage-node's BloomFilterTest holds more
        long[] out = hash("The quick brown fox jumps over the lazy dog", 0);
        assertThat(out).containsExactly(0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L);
    }

    @Test
    void hashesOnlyTheSliceItIsGiven() {
        byte[] padded = "xxThe quick brown fox jumps over the lazy dogyy".getBytes(StandardCharsets.UTF_8);
        long[] slice = new long[2];
        Murmur3.hash128(padded, 2, padded.length - 4, 0, slice);
        assertThat(slice).containsExactly(hash("The quick brown fox jumps over the lazy dog", 0));
    }

    @Test
    void theSeedChangesTheHash() {
        assertThat(hash("timberdb", 1)).isNotEqualTo(hash("timberdb", 0));
    }

    private static long[] hash(String text, long seed) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long[] out = new long[2];
        Murmur3.hash128(bytes, 0, bytes.length, seed, out);
        return out;
    }
}
