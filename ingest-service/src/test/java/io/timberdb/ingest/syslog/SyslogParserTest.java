package io.timberdb.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The examples of RFC 5424 (section 6.5) and RFC 3164 (section 5.4), and what each parser refuses. */
class SyslogParserTest {

    static final Instant RECEIVED = Instant.parse("2026-11-26T12:00:00Z");
    static final String BOM = "\uFEFF";

    final SyslogParser parser = new SyslogParser(ZoneOffset.UTC);

    SyslogMessage parse(String text) {
        return parser.parse(text.getBytes(StandardCharsets.UTF_8), RECEIVED);
    }

    @Test
    void aRepeatedParameterKeepsItsFirstPlaceAndItsLastValue() {
        assertThat(parse("<13>1 - - - - - [a x=\"1\"][a x=\"2\"] m").structuredData()).isEqualTo(Map.of("sd.a.x", "2"));
        assertThat(parse("<13>1 - - - - - [a x=\"1\" y=\"2\" x=\"3\"][b x=\"4\"] m").structuredData())
                .containsExactly(Map.entry("sd.a.x", "3"), Map.entry("sd.a.y", "2"), Map.entry("sd.b.x", "4"));
    }

    @Test
    void parsesRfc5424ExampleWithBomAndNoStructuredData() {
        SyslogMessage m = parse("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - " + BOM
                + "'su root' failed for lonvick on /dev/pts/8");
        assertThat(m).isEqualTo(new SyslogMessage(4, 2, Instant.parse("2003-10-11T22:14:15.003Z"),
                "mymachine.example.com", "su", null, "ID47", Map.of(), "'su root' failed for lonvick on /dev/pts/8"));
    }

    @Test
    void parsesRfc5424ExampleWithMicrosecondsAndOffset() {
        SyslogMessage m = parse("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nothing.");
        assertThat(m.timestamp()).isEqualTo(Instant.parse("2003-08-24T12:14:15.000003Z"));
        assertThat(m.facility()).isEqualTo(20);
        assertThat(m.severity()).isEqualTo(5);
        assertThat(m.hostname()).isEqualTo("192.0.2.1");
        assertThat(m.app()).isEqualTo("myproc");
        assertThat(m.procid()).isEqualTo("8710");
        assertThat(m.msgid()).isNull();
        assertThat(m.message()).isEqualTo("%% It's time to make the do-nothing.");
    }

    @Test
    void parsesRfc5424StructuredDataElementsWithoutMessage() {
        SyslogMessage m = parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                + "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 class=\"high\"]");
        assertThat(m.structuredData()).containsExactly(Map.entry("sd.exampleSDID@32473.iut", "3"),
                Map.entry("sd.exampleSDID@32473.eventSource", "Application"),
                Map.entry("sd.exampleSDID@32473.eventID", "1011"),
                Map.entry("sd.examplePriority@32473.class", "high"));
        assertThat(m.message()).isEmpty();
    }

    @Test
    void undoesTheThreeEscapesOfParamValuesAndKeepsOtherBackslashes() {
        SyslogMessage m = parse("<14>1 - - - - - [x a=\"q\\\"b\\\\s\\]e\" b=\"c\\d\" u=\"zürich\"] msg");
        assertThat(m.structuredData()).containsEntry("sd.x.a", "q\"b\\s]e").containsEntry("sd.x.b", "c\\d")
                .containsEntry("sd.x.u", "zürich");
        assertThat(m.timestamp()).isNull();
        assertThat(m.hostname()).isNull();
        assertThat(m.message()).isEqualTo("msg");
    }

    @Test
    void replacesInvalidUtf8InTheMessage() {
        byte[] head = "<14>1 - host app - - - bad ".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[head.length + 2];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xC3; // a lead byte without its continuation
        bytes[head.length + 1] = (byte) 0xFF;
        assertThat(parser.parse(bytes, RECEIVED).message()).isEqualTo("bad \uFFFD\uFFFD");
    }

    @Test
    void parsesRfc3164ExampleWithTag() {
        SyslogMessage m = parse("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8");
        assertThat(m).isEqualTo(new SyslogMessage(4, 2, Instant.parse("2026-10-11T22:14:15Z"), "mymachine", "su", null,
                null, Map.of(), "'su root' failed for lonvick on /dev/pts/8"));
    }

    @Test
    void parsesRfc3164SpacePaddedDayAndNoTag() {
        SyslogMessage m = parse("<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!");
        assertThat(m.timestamp()).isEqualTo(Instant.parse("2026-02-05T17:32:18Z"));
        assertThat(m.hostname()).isEqualTo("10.0.0.99");
        assertThat(m.app()).isNull();
        assertThat(m.message()).isEqualTo("Use the BFG!");
    }

    @Test
    void parsesRfc3164TagWithPidAndMissingHostname() {
        SyslogMessage m = parse("<30>Nov 26 11:59:00 sshd[4211]: Accepted publickey for deploy");
        assertThat(m.hostname()).isNull();
        assertThat(m.app()).isEqualTo("sshd");
        assertThat(m.procid()).isEqualTo("4211");
        assertThat(m.message()).isEqualTo("Accepted publickey for deploy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\t", "\u2003", "h\u00e9"})
    void takesNoRfc3164HostnameThatIsNotPrintableAscii(String word) {
        SyslogMessage m = parse("<13>Nov 26 10:00:00 " + word + " text");
        assertThat(m.hostname()).isNull();
        assertThat(m.message()).isEqualTo(word + " text");
        assertThat(new SyslogMapper().entry(m, "192.0.2.1", RECEIVED).source())
                .isEqualTo("192.0.2.1");
    }

    @Test
    void keepsAnRfc3164MessageWithoutTimestampWhole() {
        SyslogMessage m = parse("<0>1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!");
        assertThat(m.timestamp()).isNull();
        assertThat(m.hostname()).isNull();
        assertThat(m.app()).isNull();
        assertThat(m.message()).isEqualTo("1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!");
    }

    @Test
    void takesTheRfc3164YearNearestTheReceiveTime() {
        byte[] december = "<13>Dec 31 23:59:50 h m".getBytes(StandardCharsets.US_ASCII);
        assertThat(parser.parse(december, Instant.parse("2027-01-01T00:00:10Z")).timestamp())
                .isEqualTo(Instant.parse("2026-12-31T23:59:50Z"));
        byte[] january = "<13>Jan  1 00:00:05 h m".getBytes(StandardCharsets.US_ASCII);
        assertThat(parser.parse(january, Instant.parse("2026-12-31T23:59:59Z")).timestamp())
                .isEqualTo(Instant.parse("2027-01-01T00:00:05Z"));
        byte[] leapDay = "<13>Feb 29 10:00:00 h m".getBytes(StandardCharsets.US_ASCII);
        assertThat(parser.parse(leapDay, Instant.parse("2029-01-10T00:00:00Z")).timestamp())
                .isEqualTo(Instant.parse("2028-02-29T10:00:00Z"));
    }

    @Test
    void readsRfc3164TimestampsInTheConfiguredZone() {
        SyslogParser paris = new SyslogParser(ZoneId.of("Europe/Paris"));
        byte[] bytes = "<13>Jul  4 12:00:00 h m".getBytes(StandardCharsets.US_ASCII);
        assertThat(paris.parse(bytes, RECEIVED).timestamp()).isEqualTo(Instant.parse("2026-07-04T10:00:00Z"));
    }

    @Test
    void ignoresTrailingLineEndsAndNul() {
        assertThat(parse("<13>1 - h a - - - text\r\n\0").message()).isEqualTo("text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "no pri at all", "<>1 - - - - - -", "<1234>x", "<192>1 - - - - - -", "<34",
            "<34>2 - - - - - -", "<34>1 2003-10-11 h a - - -", "<34>1 +12003-10-11T22:14:15Z h a - - -",
            "<34>1 2003-10-11T22:14:15Z h a - -", "<34>1 2003-10-11T22:14:15Z h a - - x",
            "<34>1 2003-10-11T22:14:15Z h a - - [id a=\"open", "<34>1 2003-10-11T22:14:15Z h a - - [id a=b]",
            "<34>1 2003-10-11T22:14:15Z h a - - []", "<34>1 2003-10-11T22:14:15Z h a - - [id]x",
            "<34>1  h a - - -", "<34>1 - h\u00e9 a - - -"})
    void refusesMalformedMessagesWithItsOwnError(String text) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(MalformedSyslogException.class);
    }

    @Test
    void mapsFacilitySeverityLevelAndFieldsToTags() {
        SyslogMapper mapper = new SyslogMapper();
        LogEntry entry = mapper.entry(parse("<11>1 - - app 7 M1 [a@1 k=\"v\"] disk failed"), "192.0.2.7", RECEIVED);
        assertThat(entry.source()).isEqualTo("192.0.2.7");
        assertThat(entry.timestamp()).isEqualTo(RECEIVED);
        assertThat(entry.message()).isEqualTo("disk failed");
        assertThat(entry.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("facility", "user", "severity", "err",
                "level", "error", "app", "app", "procid", "7", "msgid", "M1", "sd.a@1.k", "v"));
        assertThat(mapper.entry(parse("<188>Nov 26 11:00:00 web-1 x"), null, RECEIVED).tags())
                .containsEntry("facility", "local7").containsEntry("severity", "warning").containsEntry("level", "warn");
        assertThat(mapper.entry(parse("<8>no header"), null, RECEIVED).source()).isEqualTo(SyslogMapper.UNKNOWN_SOURCE);
    }

    @Test
    void mapsEqualTagSetsToOneCheckedSortedMap() {
        SyslogMapper mapper = new SyslogMapper();
        LogEntry first = mapper.entry(parse("<14>1 2026-11-26T10:00:00Z h app - - [a@1 k=\"v\"] one"), null, RECEIVED);
        LogEntry second = mapper.entry(parse("<14>1 2026-11-26T10:00:01Z other app - - [a@1 k=\"v\"] two"), null, RECEIVED);
        LogEntry third = mapper.entry(parse("<14>1 2026-11-26T10:00:02Z h app - - [a@1 k=\"w\"] three"), null, RECEIVED);
        assertThat(second.tags()).isSameAs(first.tags());
        assertThat(third.tags()).isNotSameAs(first.tags()).containsEntry("sd.a@1.k", "w");
        assertThat(first.tags().keySet()).containsExactly("app", "facility", "level", "sd.a@1.k", "severity");
        assertThat(first.id()).isEqualTo(SyslogMapper.UNASSIGNED_ID);
    }

    @Test
    void readsTimestampsOutsideTheUsualFormAsTheFullParserDoes() {
        assertThat(parse("<14>1 2026-11-26t10:00:00.5z h a - - - x").timestamp()).isEqualTo(Instant.parse("2026-11-26T10:00:00.500Z"));
        assertThat(parse("<14>1 2026-11-26T10:00:00+18:00 h a - - - x").timestamp()).isEqualTo(Instant.parse("2026-11-25T16:00:00Z"));
        for (String bad : List.of("2026-11-26T10:00:00+18:30", "2026-02-30T10:00:00Z", "2026-11-26T10:00:00", "20261-11-26T10:00:00Z")) {
            assertThatThrownBy(() -> parse("<14>1 " + bad + " h a - - - x")).as(bad)
                    .isInstanceOf(MalformedSyslogException.class).hasMessageContaining("TIMESTAMP is not RFC 3339");
        }
    }

    @Test
    void undoesEscapesInParamValuesAndTakesPlainOnesAsTheyAre() {
        assertThat(parse("<14>1 - h a - - [i a=\"x\\\"y\\]z\\\\w\\q\" b=\"h\u00e9\"] m").structuredData())
                .containsExactly(Map.entry("sd.i.a", "x\"y]z\\w\\q"), Map.entry("sd.i.b", "h\u00e9"));
    }
}
