package io.timberdb.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.timberdb.bench.data.GeneratedEntry;
import io.timberdb.bench.protocol.Protocol;
import io.timberdb.bench.protocol.ProtocolFixtures;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.LogEntryInput;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The protocol benchmark's syslog frames, read back by the TCP listener's frame decoder, parser
 * and mapper: the native entries as far as syslog's mapping carries them (timestamps to the
 * microsecond, {@code system} as {@code app}, {@code component} as structured data, facility and
 * severity added, notice and trace stored as levels info and debug).
 */
class SyslogFramesDecodeTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-26T00:00:00Z");

    private final List<GeneratedEntry> batch = ProtocolFixtures.batch();
    private final SyslogParser parser = new SyslogParser(ZoneOffset.UTC);

    @Test
    void everyOctetCountedFrameIsAnRfc5424MessageThatMapsToTheNativeEntryAsSyslogCarriesIt() {
        List<byte[]> frames = frames(Protocol.SYSLOG.encode(batch), 4096);
        assertThat(frames).hasSize(batch.size());
        assertThat(frames).allSatisfy(f -> assertThat(new String(f, 0, 4, StandardCharsets.US_ASCII)).matches("<1[0-5]>"));
        SyslogMapper mapper = new SyslogMapper();
        List<LogEntry> stored = ProtocolFixtures.stored(frames, f -> {
            LogEntry entry = mapper.entry(parser.parse(f, RECEIVED), "127.0.0.1", RECEIVED);
            return new LogEntryInput(entry.timestamp().toString(), entry.source(), entry.tags(), entry.message());
        });
        assertThat(stored).isEqualTo(ProtocolFixtures.stored(batch.stream().map(SyslogFramesDecodeTest::asSyslog).toList()));
    }

    @Test
    void theFramesSplitAlikeWhateverTheReadsCutThem() {
        byte[] body = Protocol.SYSLOG.encode(batch);
        List<String> whole = frames(body, body.length).stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList();
        assertThat(frames(body, 7).stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList()).isEqualTo(whole);
    }

    @Test
    void levelsMapToSeveritiesSoThatTheStoredLevelIsTheSameButForNoticeAndTrace() {
        Map<String, String> stored = new LinkedHashMap<>();
        for (String level : List.of("fatal", "error", "warn", "notice", "info", "debug", "trace")) {
            GeneratedEntry e = new GeneratedEntry(0, 1_792_000_000L, 0, "S", "h", level, null, "m");
            byte[] frame = frames(Protocol.SYSLOG.encode(List.of(e)), 4096).get(0);
            Map<String, String> tags = new SyslogMapper().entry(parser.parse(frame, RECEIVED), null, RECEIVED).tags();
            stored.put(level, tags.get("severity") + "/" + tags.get("level"));
        }
        assertThat(stored).containsExactly(Map.entry("fatal", "crit/fatal"), Map.entry("error", "err/error"),
                Map.entry("warn", "warning/warn"), Map.entry("notice", "notice/info"), Map.entry("info", "info/info"),
                Map.entry("debug", "debug/debug"), Map.entry("trace", "debug/debug"));
    }

    /** What the syslog mapping should store for {@code e} (see {@code SyslogEncoder}'s table). */
    private static LogEntryInput asSyslog(GeneratedEntry e) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("facility", "user");
        String[] severity = switch (e.level()) {
            case "fatal" -> new String[] {"crit", "fatal"};
            case "error" -> new String[] {"err", "error"};
            case "warn" -> new String[] {"warning", "warn"};
            case "notice" -> new String[] {"notice", "info"};
            case "info" -> new String[] {"info", "info"};
            default -> new String[] {"debug", "debug"};
        };
        tags.put("severity", severity[0]);
        tags.put("level", severity[1]);
        tags.put("app", e.system());
        if (e.component() != null) {
            tags.put("sd.loghub@32473.component", e.component());
        }
        return new LogEntryInput(e.timestamp().truncatedTo(ChronoUnit.MICROS).toString(), e.source(), tags, e.message());
    }

    /** The frames the listener's decoder splits {@code body} into, fed in reads of {@code chunk} bytes. */
    private static List<byte[]> frames(byte[] body, int chunk) {
        AtomicInteger refused = new AtomicInteger();
        EmbeddedChannel channel = new EmbeddedChannel(new SyslogFrameDecoder(64 * 1024, refused::incrementAndGet));
        for (int from = 0; from < body.length; from += chunk) {
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(body, from, Math.min(body.length, from + chunk))));
        }
        channel.finish();
        List<byte[]> frames = new ArrayList<>();
        for (Object frame; (frame = channel.readInbound()) != null; ) {
            frames.add((byte[]) frame);
        }
        assertThat(refused).hasValue(0);
        return frames;
    }
}
