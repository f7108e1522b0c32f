package io.timberdb.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.hash.Murmur3;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BloomFilterTest {

    @Test
    void murmur3MatchesTheReferenceVectors() {
        // checked against Guava's murmur3_128(0) (2000 random inputs agreed) and the published fox vector
        assertHash("", 0L, 0L);
        assertHash("hello", 0xcbd8a7b341bd9b02L, 0x5b1e906a48ae1d19L);
        assertHash("The quick brown fox jumps over the lazy dog", 0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L);
        assertHash("timberdb", 0xe189492ff99c7f6cL, 0xbdc5957a5c2a4417L);
    }

    private static void assertHash(String input, long h1, long h2) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        long[] out = new long[2];
        Murmur3.hash128(bytes, 0, bytes.length, 0, out);
        assertThat(out).as(input).containsExactly(h1, h2);
        assertThat(BloomFilter.key(input)).isEqualTo(new BloomFilter.Key(h1, h2));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.02})
    void hasNoFalseNegativesAndAboutTheRequestedFalsePositiveRate(double rate) {
        BloomFilter filter = BloomFilter.create(10_000, rate);
        for (int i = 0; i < 10_000; i++) {
            filter.put("token-" + i);
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(filter.mightContain("token-" + i)).isTrue();
        }
        int falsePositives = 0;
        for (int i = 0; i < 100_000; i++) {
            if (filter.mightContain("other-" + i)) {
                falsePositives++;
            }
        }
        assertThat(falsePositives / 100_000.0).isBetween(rate / 5, rate * 2);
    }

    @Test
    void isSizedByTheStandardFormulas() {
        BloomFilter filter = BloomFilter.create(1000, 0.01);
        assertThat(filter.bitCount()).isEqualTo(9600); // ceil(9585.06 / 64) * 64
        assertThat(filter.hashCount()).isEqualTo(7);
        assertThat(BloomFilter.create(0, 0.01).bitCount()).isEqualTo(64);
        assertThatThrownBy(() -> BloomFilter.create(10, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serializedFormIsStable() {
        BloomFilter filter = BloomFilter.create(3, 0.01);
        filter.put("error");
        filter.put("timeout");
        filter.put("user");
        // scheme 1, k = 7, one 64-bit word; the bits of the documented double hashing of Murmur3 x64 128.
        // For equal m and k the bytes equal Guava's BloomFilter.writeTo (checked for 1000 and 5000 items).
        assertThat(HexFormat.of().formatHex(filter.toByteArray())).isEqualTo("01" + "07" + "00000001" + "004291559420032e");
    }

    @Test
    void roundTripsThroughItsSerializedForm() {
        BloomFilter filter = BloomFilter.create(100, 0.05);
        for (int i = 0; i < 100; i++) {
            filter.put("w" + i);
        }
        byte[] bytes = filter.toByteArray();
        assertThat(bytes).hasSize(filter.serializedSize());
        ByteSource in = new ByteSource(bytes);
        BloomFilter read = BloomFilter.read(in);
        in.expectEnd("filter");
        assertThat(read.toByteArray()).isEqualTo(bytes);
        for (int i = 0; i < 100; i++) {
            assertThat(read.mightContain("w" + i)).isTrue();
        }
    }

    @Test
    void readRejectsUnknownSchemesAndImpossibleSizes() {
        byte[] bytes = BloomFilter.create(10, 0.01).toByteArray();
        byte[] scheme = bytes.clone();
        scheme[0] = 2;
        assertThatThrownBy(() -> BloomFilter.read(new ByteSource(scheme))).isInstanceOf(CodecException.class);
        byte[] probes = bytes.clone();
        probes[1] = 0;
        assertThatThrownBy(() -> BloomFilter.read(new ByteSource(probes))).isInstanceOf(CodecException.class);
        byte[] words = bytes.clone();
        words[5] = 100;
        assertThatThrownBy(() -> BloomFilter.read(new ByteSource(words))).isInstanceOf(CodecException.class);
    }
}
