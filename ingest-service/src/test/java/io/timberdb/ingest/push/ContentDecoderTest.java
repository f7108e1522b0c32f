package io.timberdb.ingest.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static io.timberdb.ingest.push.Encodings.gzip;
import static io.timberdb.ingest.push.Encodings.zstd;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContentDecoderTest {

    static final byte[] TEXT = "{\"source\":\"s\",\"message\":\"hello\"}\n".repeat(5000).getBytes(StandardCharsets.UTF_8);

    /** Decodes {@code body} fed in chunks of 1 to {@code maxChunk} bytes, some of them read-only. */
    static byte[] decode(String encoding, byte[] body, int maxChunk) {
        Random random = new Random(body.length);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (ContentDecoder decoder = ContentDecoder.of(encoding)) {
            for (int at = 0; at < body.length; ) {
                int n = Math.min(body.length - at, 1 + random.nextInt(maxChunk));
                ByteBuffer chunk = ByteBuffer.wrap(body, at, n);
                if (random.nextBoolean()) {
                    chunk = chunk.asReadOnlyBuffer(); // as a request's chunks may be
                }
                decoder.decode(chunk, piece -> {
                    byte[] copy = new byte[piece.remaining()];
                    piece.get(copy);
                    plain.writeBytes(copy);
                });
                assertThat(chunk.hasRemaining()).as("chunk consumed").isFalse();
                at += n;
            }
            decoder.finish();
        }
        return plain.toByteArray();
    }

    @Test
    void gzipDecodesWhateverTheChunkBoundaries() {
        byte[] gz = gzip(TEXT);
        assertThat(decode("gzip", gz, 1)).isEqualTo(TEXT);
        assertThat(decode("gzip", gz, 7)).isEqualTo(TEXT);
        assertThat(decode("gzip", gz, 100_000)).isEqualTo(TEXT);
    }

    @Test
    void gzipHeaderFieldsAndConcatenatedMembersAreRead() {
        // FLG = FEXTRA | FNAME | FCOMMENT | FHCRC, then the deflate data of an ordinary member
        byte[] plainMember = gzip("a\n".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        member.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0x1e, 0, 0, 0, 0, 0, 3, 3, 0, 'x', 'y', 'z'});
        member.writeBytes("name.json\0a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        member.writeBytes(new byte[] {0x12, 0x34});
        member.write(plainMember, 10, plainMember.length - 10);
        byte[] twice = concat(member.toByteArray(), gzip("b\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(decode("gzip", twice, 3), StandardCharsets.UTF_8)).isEqualTo("a\nb\n");
    }

    @Test
    void truncatedOrCorruptGzipIsMalformedCompression() {
        byte[] gz = gzip(TEXT);
        assertMalformed(() -> decode("gzip", Arrays.copyOf(gz, gz.length - 3), 50));
        assertMalformed(() -> decode("gzip", Arrays.copyOf(gz, 5), 50));
        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 6] ^= 1;
        assertMalformed(() -> decode("gzip", badCrc, 50));
        assertMalformed(() -> decode("gzip", "not gzip at all".getBytes(StandardCharsets.UTF_8), 50));
        assertThat(decode("gzip", new byte[0], 1)).isEmpty();
    }

    @Test
    void zstdDecodesWhateverTheChunkBoundariesAndConcatenatedFrames() {
        byte[] zst = zstd(TEXT);
        assertThat(decode("zstd", zst, 1)).isEqualTo(TEXT);
        assertThat(decode("zstd", zst, 1000)).isEqualTo(TEXT);
        byte[] two = concat(zstd("a\n".getBytes(StandardCharsets.UTF_8)), zstd(TEXT));
        assertThat(decode("zstd", two, 13)).isEqualTo(concat("a\n".getBytes(StandardCharsets.UTF_8), TEXT));
    }

    @Test
    void truncatedOrCorruptZstdIsMalformedCompression() {
        byte[] zst = zstd(TEXT);
        assertMalformed(() -> decode("zstd", Arrays.copyOf(zst, zst.length - 1), 64));
        assertMalformed(() -> decode("zstd", "not zstd".getBytes(StandardCharsets.UTF_8), 64));
    }

    @Test
    void identityPassesBytesThroughAndOtherEncodingsAreUnsupported() {
        assertThat(decode(null, TEXT, 70_000)).isEqualTo(TEXT);
        assertThat(decode(" Identity ", TEXT, 10)).isEqualTo(TEXT);
        assertThatThrownBy(() -> ContentDecoder.of("br")).isInstanceOfSatisfying(TimberException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_CONTENT_ENCODING));
    }

    private static void assertMalformed(Runnable decode) {
        assertThatThrownBy(decode::run).isInstanceOfSatisfying(TimberException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_COMPRESSION));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
