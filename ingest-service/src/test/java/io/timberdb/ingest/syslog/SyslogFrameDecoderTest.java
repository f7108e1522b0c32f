package io.timberdb.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** RFC 6587's two framings, told apart per frame, and what a frame above the maximum does. */
class SyslogFrameDecoderTest {

    final AtomicInteger refused = new AtomicInteger();
    final EmbeddedChannel channel = new EmbeddedChannel(new SyslogFrameDecoder(32, refused::incrementAndGet));

    void write(String... chunks) {
        for (String chunk : chunks) {
            channel.writeInbound(Unpooled.wrappedBuffer(chunk.getBytes(StandardCharsets.UTF_8)));
        }
    }

    List<String> frames() {
        List<String> frames = new ArrayList<>();
        for (Object frame; (frame = channel.readInbound()) != null; ) {
            frames.add(new String((byte[]) frame, StandardCharsets.UTF_8));
        }
        return frames;
    }

    @Test
    void splitsOctetCountedAndNewlineFramesMixedAcrossReads() {
        write("15 <13>1 - - -", " -", " -<13>line one\r\n", "\n<13>line ", "two\n15 <13>1 - -", " - - -");
        assertThat(frames()).containsExactly("<13>1 - - - - -", "<13>line one", "<13>line two", "<13>1 - - - - -");
        assertThat(refused).hasValue(0);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void skipsAnOverlongLineToItsLineFeedAndGoesOn() {
        write("<13>" + "x".repeat(40), "y".repeat(40), "zz\n<13>after\n");
        assertThat(frames()).containsExactly("<13>after");
        assertThat(refused).hasValue(1);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void refusesAnOctetCountAboveTheMaximumAndClosesTheConnection() {
        write("5 <13>a", "99999999999999999999 <13>10 <13>after");
        assertThat(frames()).containsExactly("<13>a");
        assertThat(refused).hasValue(1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void refusesAnOctetCountNotEndedBySpace() {
        write("12x<13>hello\n");
        assertThat(frames()).isEmpty();
        assertThat(refused).hasValue(1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void takesAnUnterminatedLastLineButNotATruncatedCountedFrame() {
        write("<13>last");
        channel.finish();
        assertThat(frames()).containsExactly("<13>last");

        EmbeddedChannel counted = new EmbeddedChannel(new SyslogFrameDecoder(32, refused::incrementAndGet));
        counted.writeInbound(Unpooled.wrappedBuffer("20 <13>short".getBytes(StandardCharsets.US_ASCII)));
        counted.finish();
        assertThat((Object) counted.readInbound()).isNull();
        assertThat(refused).hasValue(1);
    }
}
