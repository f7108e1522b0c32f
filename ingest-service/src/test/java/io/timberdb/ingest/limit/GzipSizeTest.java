package io.timberdb.ingest.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class GzipSizeTest {

    /**
     * Gzip members with every optional header field (extra, name, comment, header CRC) or none,
     * concatenated and fed in chunks of any size: the count is the total of what they inflate to.
     */
    @Property
    void countsWhatEveryMemberInflatesToWhateverTheChunksAndHeaderFields(
            @ForAll @Size(min = 1, max = 4) List<@Size(max = 20_000) byte[]> members,
            @ForAll @IntRange(min = 0, max = 31) int flagsSeed, @ForAll @IntRange(min = 1, max = 5_000) int chunk,
            @ForAll boolean repetitive) throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        long plain = 0;
        int flags = flagsSeed & 0b11110; // FHCRC, FEXTRA, FNAME, FCOMMENT
        for (byte[] member : members) {
            byte[] content = repetitive ? repeat(member) : member;
            stream.write(member(content, flags));
            plain += content.length;
        }
        byte[] bytes = stream.toByteArray();
        try (GZIPInputStream reference = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            assertThat(reference.readAllBytes()).as("the JDK reads the stream alike").hasSize((int) plain);
        }
        GzipSize size = new GzipSize(Long.MAX_VALUE);
        for (int from = 0; from < bytes.length; from += chunk) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, from, Math.min(chunk, bytes.length - from)).slice();
            size.add(buffer);
            assertThat(buffer.hasRemaining()).as("a chunk is consumed whole").isFalse();
        }
        size.close();
        assertThat(size.inflated()).isEqualTo(plain);
    }

    @Test
    void stopsInflatingPastItsLimit() throws IOException {
        byte[] bomb = member(new byte[50_000_000], 0); // 50 MB of zeros, about 50 KB sent
        GzipSize size = new GzipSize(1_000_000);
        size.add(ByteBuffer.wrap(bomb));
        assertThat(size.inflated()).isGreaterThan(1_000_000).isLessThan(1_100_000);
        size.close();
    }

    @Test
    void aBodyThatIsNotGzipCountsNothingMore() {
        GzipSize size = new GzipSize(Long.MAX_VALUE);
        size.add(ByteBuffer.wrap("{\"streams\":[]}".getBytes()));
        assertThat(size.inflated()).isZero();
        byte[] badDeflate = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        GzipSize broken = new GzipSize(Long.MAX_VALUE);
        broken.add(ByteBuffer.wrap(badDeflate));
        assertThat(broken.inflated()).isZero();
    }

    private static byte[] repeat(byte[] seed) {
        byte[] out = new byte[seed.length * 20];
        for (int i = 0; i < out.length; i++) {
            out[i] = seed[i % seed.length];
        }
        return out;
    }

    /** One gzip member of {@code content} with the header fields {@code flags} asks for. */
    static byte[] member(byte[] content, int flags) throws IOException {
        if (flags == 0) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                gzip.write(content);
            }
            return out.toByteArray();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 0, 0, 0, 0, 0, (byte) 0xff});
        if ((flags & 4) != 0) {
            byte[] extra = new byte[300]; // a length past one byte: its little-endian order matters
            Arrays.fill(extra, (byte) 7);
            out.write(new byte[] {(byte) (extra.length & 0xff), (byte) (extra.length >> 8)});
            out.write(extra);
        }
        if ((flags & 8) != 0) {
            out.write("access.log".getBytes());
            out.write(0);
        }
        if ((flags & 16) != 0) {
            out.write("rotated at midnight".getBytes());
            out.write(0);
        }
        if ((flags & 2) != 0) {
            CRC32 header = new CRC32(); // the low 16 bits of the header's CRC-32, as the JDK checks it
            header.update(out.toByteArray());
            out.write(new byte[] {(byte) header.getValue(), (byte) (header.getValue() >> 8)});
        }
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, deflater)) {
            deflate.write(content);
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(content);
        ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        trailer.putInt((int) crc.getValue()).putInt(content.length);
        byte[] whole = out.toByteArray();
        byte[] result = Arrays.copyOf(whole, whole.length + 8);
        System.arraycopy(trailer.array(), 0, result, whole.length, 8);
        return result;
    }
}
