package io.timberdb.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.timberdb.ingest.push.BodyMutations;
import io.timberdb.model.api.LogEntry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Malformed syslog input: mutated, truncated and random messages and frames, invalid UTF-8, huge
 * octet counts. The parser throws nothing but {@link MalformedSyslogException} and every message it
 * accepts maps to an entry the write path takes (so one message can never sink a batch); the frame
 * decoder never throws, and no byte of a refused frame ever comes out of it.
 */
class SyslogFuzzTest {

    static final int MAX_FRAME = 64;
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final String REFUSED = "REFUSED";
    static final List<byte[]> VALID = List.of(
            bytes("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 12 ID47 "
                    + "[exampleSDID@32473 iut=\"3\" eventSource=\"App\\\"lication\"][p@1 class=\"high\"] \uFEFFAn event ü"),
            bytes("<34>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time"),
            bytes("<34>Oct 11 22:14:15 mymachine su[12]: 'su root' failed for lonvick"),
            bytes("<13>Feb 29 17:32:18 10.0.0.99 Use the BFG!"));

    final SyslogParser parser = new SyslogParser(ZoneOffset.UTC);

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void mutatedMessagesParseToValidEntriesOrFailWithTheParsersError(@ForAll("messages") byte[] message) {
        SyslogMessage parsed;
        try {
            parsed = parser.parse(message, NOW);
        } catch (MalformedSyslogException e) {
            Statistics.collect("malformed");
            return;
        }
        Statistics.collect("parsed");
        LogEntry entry = new SyslogMapper().entry(parsed, "192.0.2.9", NOW);
        assertThat(entry.tags()).as("the checked entry the write path stores").containsKeys("facility", "severity", "level");
    }

    /**
     * Messages of the right shape with any text in every field (control characters, Unicode
     * spaces, the grammar's punctuation, lone surrogates, which UTF-8 encodes as '?'): the same
     * demands as above.
     */
    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void anyTextInAnyFieldParsesToValidEntriesOrFailsWithTheParsersError(
            @ForAll @IntRange(min = 0, max = 200) int pri, @ForAll boolean rfc5424,
            @ForAll("words") List<String> words) {
        String text = rfc5424
                ? "<" + pri + ">1 " + String.join(" ", words)
                : "<" + pri + ">Nov 26 10:00:00 " + String.join(" ", words);
        mutatedMessagesParseToValidEntriesOrFailWithTheParsersError(bytes(text));
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void randomBytesNeverBreakTheParserOrTheDecoder(@ForAll @Size(max = 200) byte[] bytes,
                                                    @ForAll @IntRange(min = 1, max = 50) int chunk) {
        try {
            parser.parse(bytes, NOW);
        } catch (MalformedSyslogException expected) {
            // the only failure allowed
        }
        AtomicInteger refused = new AtomicInteger();
        EmbeddedChannel channel = new EmbeddedChannel(new SyslogFrameDecoder(MAX_FRAME, refused::incrementAndGet));
        for (int at = 0; at < bytes.length && channel.isOpen(); at += chunk) {
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunk))));
        }
        channel.finish();
        for (Object frame; (frame = channel.readInbound()) != null; ) {
            assertThat(((byte[]) frame).length).isLessThanOrEqualTo(MAX_FRAME);
        }
    }

    /**
     * A stream of accepted and refused frames in either framing, cut into reads anywhere: exactly the
     * accepted frames before the first refused octet-counted one come out, and no refused byte.
     */
    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void refusedFramesNeverComeOut(@ForAll("frames") List<Frame> frames, @ForAll @IntRange(min = 1, max = 97) int chunk) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<String> expected = new ArrayList<>();
        int expectedRefusals = 0;
        boolean closed = false;
        for (Frame frame : frames) {
            stream.writeBytes(frame.wire());
            if (!closed) {
                if (frame.refused()) {
                    expectedRefusals++;
                    closed = frame.counted();
                } else {
                    expected.add(frame.text());
                }
            }
        }
        byte[] bytes = stream.toByteArray();
        AtomicInteger refused = new AtomicInteger();
        EmbeddedChannel channel = new EmbeddedChannel(new SyslogFrameDecoder(MAX_FRAME, refused::incrementAndGet));
        for (int at = 0; at < bytes.length && channel.isOpen(); at += chunk) {
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunk))));
        }
        channel.finish();
        List<String> out = new ArrayList<>();
        for (Object frame; (frame = channel.readInbound()) != null; ) {
            String text = new String((byte[]) frame, StandardCharsets.UTF_8);
            if (text.contains(REFUSED)) {
                fail("a refused frame came out: " + text);
            }
            out.add(text);
        }
        Statistics.collect(closed ? "closed" : "open");
        assertThat(out).isEqualTo(expected);
        assertThat(refused).hasValue(expectedRefusals);
    }

    /** One frame: its bytes on the wire, its message, whether it is octet-counted and whether it is refused. */
    record Frame(byte[] wire, String text, boolean counted, boolean refused) {
    }

    @Provide
    Arbitrary<List<String>> words() {
        Arbitrary<String> tricky = Arbitraries.strings().withChars("\t\u000b\u2003\u00a0\u00e9a-:[]=\"\\1\u0000")
                .ofMaxLength(4);
        return Arbitraries.oneOf(tricky, Arbitraries.strings().all().ofMaxLength(6)).list().ofSize(7);
    }

    @Provide
    Arbitrary<byte[]> messages() {
        return Arbitraries.oneOf(VALID.stream().map(BodyMutations::of).toList());
    }

    @Provide
    Arbitrary<List<Frame>> frames() {
        Arbitrary<String> text = Arbitraries.strings().withChars("<>13 abcü-[]=\"\\").ofMinLength(1).ofMaxLength(MAX_FRAME)
                .map(s -> "<" + s) // a line never starts with a digit, which would make it octet-counted
                .filter(s -> s.getBytes(StandardCharsets.UTF_8).length <= MAX_FRAME);
        Arbitrary<Frame> accepted = Combinators.combine(text, Arbitraries.of(true, false)).as((t, counted) -> {
            byte[] body = t.getBytes(StandardCharsets.UTF_8);
            return new Frame(counted ? counted(body) : bytes(t + "\n"), t, counted, false);
        });
        Arbitrary<Frame> longLine = Arbitraries.integers().between(MAX_FRAME + 1, 4 * MAX_FRAME).map(n -> {
            String t = "<" + REFUSED + "x".repeat(n);
            return new Frame(bytes(t + "\r\n"), t, false, true);
        });
        Arbitrary<Frame> hugeCount = Arbitraries.longs().between(MAX_FRAME + 1, Long.MAX_VALUE).map(n ->
                new Frame(bytes(n + " <13>" + REFUSED), REFUSED, true, true));
        Arbitrary<Frame> badCount = Arbitraries.just(new Frame(bytes("12" + REFUSED + "\n"), REFUSED, true, true));
        return Arbitraries.frequencyOf(
                Tuple.of(8, accepted), Tuple.of(2, longLine),
                Tuple.of(1, hugeCount), Tuple.of(1, badCount)).list().ofMaxSize(12);
    }

    private static byte[] counted(byte[] body) {
        byte[] header = bytes(body.length + " ");
        byte[] frame = Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, frame, header.length, body.length);
        return frame;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
