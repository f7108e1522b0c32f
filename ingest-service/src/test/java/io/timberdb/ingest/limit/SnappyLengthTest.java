package io.timberdb.ingest.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class SnappyLengthTest {

    @Property
    void readsTheLengthSnappyJavaReadsWhateverTheChunks(@ForAll @Size(max = 300_000) byte[] content,
                                                         @ForAll @IntRange(min = 1, max = 7) int chunk) throws IOException {
        byte[] block = Snappy.compress(content);
        SnappyLength length = new SnappyLength();
        for (int from = 0; from < block.length; from += chunk) {
            length.add(ByteBuffer.wrap(block, from, Math.min(chunk, block.length - from)));
        }
        assertThat(length.announced()).isEqualTo(Snappy.uncompressedLength(block)).isEqualTo(content.length);
    }

    @Test
    void anIncompleteOrOverlongVarintAnnouncesNothing() {
        SnappyLength incomplete = new SnappyLength();
        incomplete.add(ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 0x80}));
        assertThat(incomplete.announced()).isZero();
        SnappyLength overlong = new SnappyLength();
        overlong.add(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1}));
        assertThat(overlong.announced()).isZero();
        SnappyLength largest = new SnappyLength();
        largest.add(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}));
        assertThat(largest.announced()).isEqualTo(0xffff_ffffL);
    }
}
