package io.timberdb.storage.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;

class CodecTest {

    private static final byte[] LOG_TEXT = ("2024-07-01 12:00:00 INFO GET /api/v1/users 200 12ms\n".repeat(200))
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void blockIdsAndSpecNamesAreStable() {
        assertThat(Codec.values()).extracting(Codec::id).containsExactly(0, 1, 2, 3, 4);
        assertThat(Codec.values()).extracting(Codec::specName).containsExactly("None", "LZ4", "Zstd", "Snappy", "Gzip");
        for (Codec codec : Codec.values()) {
            assertThat(Codec.byId(codec.id())).contains(codec);
            assertThat(Codec.fromSpecName(codec.specName().toLowerCase())).isEqualTo(codec);
        }
        assertThat(Codec.byId(5)).isEmpty();
        assertThatThrownBy(() -> Codec.fromSpecName("brotli")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("None, LZ4, Zstd, Snappy, Gzip");
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void roundTripsEmptySmallAndRepetitiveInput(Codec codec) {
        for (byte[] input : new byte[][] {new byte[0], {42}, "héllo wörld".getBytes(StandardCharsets.UTF_8), LOG_TEXT}) {
            byte[] compressed = codec.compress(input, 3);
            assertThat(codec.decompress(compressed, input.length)).isEqualTo(input);
        }
        if (codec != Codec.NONE) {
            assertThat(codec.compress(LOG_TEXT, 3).length).isLessThan(LOG_TEXT.length / 10);
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void compressesAndDecompressesARangeOfALargerArray(Codec codec) {
        byte[] padded = new byte[LOG_TEXT.length + 20];
        System.arraycopy(LOG_TEXT, 0, padded, 7, LOG_TEXT.length);
        byte[] compressed = codec.compress(padded, 7, LOG_TEXT.length, 3);
        byte[] framed = new byte[compressed.length + 9];
        System.arraycopy(compressed, 0, framed, 5, compressed.length);
        assertThat(codec.decompress(framed, 5, compressed.length, LOG_TEXT.length)).isEqualTo(LOG_TEXT);
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void rejectsAWrongUncompressedLength(Codec codec) {
        byte[] compressed = codec.compress(LOG_TEXT, 3);
        assertThatThrownBy(() -> codec.decompress(compressed, LOG_TEXT.length - 1)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> codec.decompress(compressed, LOG_TEXT.length + 1)).isInstanceOf(CodecException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void rejectsTruncatedAndGarbledInput(Codec codec) {
        byte[] compressed = codec.compress(LOG_TEXT, 3);
        assertThatThrownBy(() -> codec.decompress(Arrays.copyOf(compressed, compressed.length / 2), LOG_TEXT.length))
                .isInstanceOf(CodecException.class);
        byte[] junk = new byte[64];
        new Random(7).nextBytes(junk);
        assertThatThrownBy(() -> codec.decompress(junk, 1000)).isInstanceOf(CodecException.class);
    }

    @Test
    void gzipOutputIsAStandardGzipMember() throws Exception {
        byte[] compressed = Codec.GZIP.compress(LOG_TEXT, 9);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            assertThat(in.readAllBytes()).isEqualTo(LOG_TEXT);
        }
    }

    @Test
    void gzipReadsMembersWithOptionalHeaderFields() {
        byte[] plain = Codec.GZIP.compress(LOG_TEXT, 6);
        // the same member with FEXTRA, FNAME and FCOMMENT, as other gzip writers may produce
        byte[] extra = {0x02, 0x00, 'x', 'y'};
        byte[] name = "log.txt\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] comment = "c\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] member = new byte[plain.length + extra.length + name.length + comment.length];
        System.arraycopy(plain, 0, member, 0, 10);
        member[3] = 0x04 | 0x08 | 0x10;
        int at = 10;
        for (byte[] field : new byte[][] {extra, name, comment}) {
            System.arraycopy(field, 0, member, at, field.length);
            at += field.length;
        }
        System.arraycopy(plain, 10, member, at, plain.length - 10);
        assertThat(Codec.GZIP.decompress(member, LOG_TEXT.length)).isEqualTo(LOG_TEXT);
    }

    @Test
    void gzipDetectsADamagedTrailer() {
        byte[] compressed = Codec.GZIP.compress(LOG_TEXT, 6);
        compressed[compressed.length - 6] ^= 1; // inside the CRC-32
        assertThatThrownBy(() -> Codec.GZIP.decompress(compressed, LOG_TEXT.length))
                .isInstanceOf(CodecException.class).hasMessageContaining("CRC-32");
    }

    @Test
    void otherCodecsMatchTheirLibrariesStandardFormats() throws Exception {
        assertThat(Zstd.decompress(Codec.ZSTD.compress(LOG_TEXT, 5), LOG_TEXT.length)).isEqualTo(LOG_TEXT);
        assertThat(Snappy.uncompress(Codec.SNAPPY.compress(LOG_TEXT, 0))).isEqualTo(LOG_TEXT);
        for (int level : new int[] {0, 3, 12}) { // fast and LZ4 HC: one format, which liblz4 reads
            assertThat(LZ4Factory.safeInstance().safeDecompressor().decompress(Codec.LZ4.compress(LOG_TEXT, level),
                    LOG_TEXT.length)).as("level %d", level).isEqualTo(LOG_TEXT);
        }
    }

    @Test
    void lz4HcLevelsCompressRealLogsSmallerThanTheFastCompressor() throws Exception {
        byte[] logs = Files.readAllBytes(Path.of(System.getProperty("timberdb.loghub.dir", "../data/loghub"),
                "OpenStack_2k.log"));
        assertThat(Codec.LZ4.compress(logs, 3).length).isLessThan(Codec.LZ4.compress(logs, 1).length);
        assertThat(Codec.LZ4.compress(logs, 12).length).isLessThanOrEqualTo(Codec.LZ4.compress(logs, 3).length);
        assertThat(Codec.LZ4.acceptsLevel(13)).isFalse();
    }

    @Test
    void higherZstdAndGzipLevelsDoNotCompressWorse() {
        byte[] text = new byte[LOG_TEXT.length];
        Random random = new Random(3);
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + random.nextInt(random.nextInt(3) == 0 ? 26 : 4));
        }
        assertThat(Codec.ZSTD.compress(text, 19).length).isLessThanOrEqualTo(Codec.ZSTD.compress(text, 1).length);
        assertThat(Codec.GZIP.compress(text, 9).length).isLessThanOrEqualTo(Codec.GZIP.compress(text, 1).length);
    }
}
