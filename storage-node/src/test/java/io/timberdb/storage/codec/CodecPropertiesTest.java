package io.timberdb.storage.codec;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Every codec round-trips any bytes, and damaged input never decodes to the wrong length silently. */
class CodecPropertiesTest {

    @Property(tries = 200)
    void everyCodecRoundTripsArbitraryBytes(@ForAll Codec codec, @ForAll("bytes") byte[] input,
            @ForAll @IntRange(min = 1, max = 9) int level) {
        byte[] compressed = codec.compress(input, level);
        assertThat(codec.decompress(compressed, input.length)).isEqualTo(input);
    }

    @Property(tries = 200)
    void damagedInputFailsWithCodecExceptionOrDecodesToTheExpectedLength(@ForAll Codec codec,
            @ForAll("bytes") byte[] input, @ForAll @IntRange(min = 0, max = 1 << 20) int where) {
        byte[] compressed = codec.compress(input, 3);
        if (compressed.length == 0) {
            return;
        }
        compressed[where % compressed.length] ^= (byte) (1 << (where % 8));
        try {
            assertThat(codec.decompress(compressed, input.length)).hasSize(input.length);
        } catch (CodecException expected) {
            // the only acceptable failure
        }
    }

    @Property(tries = 100)
    void varintsAndZigzagRoundTrip(@ForAll int anInt, @ForAll long aLong, @ForAll @Size(max = 40) String text) {
        ByteSink sink = new ByteSink(4);
        sink.varint(anInt).varlong(aLong).varlong(ByteSink.zigzag(aLong)).string(text).putLong(aLong).putShort(anInt & 0xFFFF);
        ByteSource source = new ByteSource(sink.toByteArray());
        assertThat(source.varint()).isEqualTo(anInt);
        assertThat(source.varlong()).isEqualTo(aLong);
        assertThat(ByteSink.unzigzag(source.varlong())).isEqualTo(aLong);
        assertThat(source.string()).isEqualTo(new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(source.getLong()).isEqualTo(aLong);
        assertThat(source.getShort()).isEqualTo(anInt & 0xFFFF);
        source.expectEnd("test");
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(70_000);
        Arbitrary<byte[]> repetitive = Arbitraries.bytes().between((byte) 'a', (byte) 'e')
                .array(byte[].class).ofMaxSize(70_000);
        return Arbitraries.oneOf(random, repetitive);
    }
}
