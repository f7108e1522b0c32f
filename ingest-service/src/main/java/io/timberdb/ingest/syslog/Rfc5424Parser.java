package io.timberdb.ingest.syslog;

import io.timberdb.model.api.Rfc3339;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The part of an RFC 5424 message after its PRI, parsed strictly:
 *
 * <pre>
 * VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]
 * </pre>
 *
 * Header fields are 1 to 255 / 48 / 128 / 32 printable US-ASCII characters, {@code -} for nil.
 * TIMESTAMP is RFC 3339 with an optional fraction and a {@code Z} or {@code +hh:mm} offset.
 * STRUCTURED-DATA is {@code -} or elements {@code [SD-ID PARAM="value" ...]}, where a value escapes
 * {@code "}, {@code \} and {@code ]} with a backslash (any other backslash stays as it is) and is
 * UTF-8. MSG is the rest, UTF-8, after an optional BOM. Only VERSION 1 exists.
 *
 * <p>Not thread-safe: one instance parses one message.
 */
final class Rfc5424Parser {

    static final int MAX_HOSTNAME = 255;
    static final int MAX_APP_NAME = 48;
    static final int MAX_PROCID = 128;
    static final int MAX_MSGID = 32;
    static final int MAX_SD_NAME = 32;
    /** The longest RFC 3339 timestamp: a nine-digit fraction and an offset. */
    private static final int MAX_TIMESTAMP = 35;

    private final byte[] bytes;
    private final int end;
    private int pos;

    Rfc5424Parser(byte[] bytes, int pos, int end) {
        this.bytes = bytes;
        this.pos = pos;
        this.end = end;
    }

    SyslogMessage parse(int facility, int severity) {
        String version = token("VERSION", 3);
        if (!"1".equals(version)) {
            throw new MalformedSyslogException("unsupported VERSION " + version, pos);
        }
        space();
        int timestampAt = pos;
        String timestamp = token("TIMESTAMP", MAX_TIMESTAMP);
        space();
        String hostname = token("HOSTNAME", MAX_HOSTNAME);
        space();
        String app = token("APP-NAME", MAX_APP_NAME);
        space();
        String procid = token("PROCID", MAX_PROCID);
        space();
        String msgid = token("MSGID", MAX_MSGID);
        space();
        Map<String, String> structuredData = structuredData();
        String message = "";
        if (pos < end) {
            space();
            message = SyslogParser.text(bytes, pos, end);
        }
        Instant time = timestamp == null ? null : timestamp(timestamp, timestampAt);
        return new SyslogMessage(facility, severity, time, hostname, app, procid, msgid, structuredData, message);
    }

    /**
     * The instant of a TIMESTAMP: by position for the usual form ({@link Rfc3339}), else by
     * {@code OffsetDateTime.parse}, which accepts or refuses the rest. A year of other than four
     * digits is ISO 8601 but not RFC 3339, and refused first.
     */
    private Instant timestamp(String timestamp, int at) {
        if (timestamp.length() < 5 || !SyslogParser.isDigit(bytes[at]) || !SyslogParser.isDigit(bytes[at + 1])
                || !SyslogParser.isDigit(bytes[at + 2]) || !SyslogParser.isDigit(bytes[at + 3]) || bytes[at + 4] != '-') {
            throw new MalformedSyslogException("TIMESTAMP is not RFC 3339", at);
        }
        Instant fast = Rfc3339.parse(timestamp);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedSyslogException("TIMESTAMP is not RFC 3339", at);
        }
    }

    /** A header field: 1 to {@code max} printable US-ASCII characters; null for {@code -}. */
    private String token(String field, int max) {
        int start = pos;
        while (pos < end && bytes[pos] != ' ') {
            if (bytes[pos] < 33 || bytes[pos] > 126) {
                throw new MalformedSyslogException(field + " has a byte that is not printable US-ASCII", pos);
            }
            pos++;
        }
        if (pos == start) {
            throw new MalformedSyslogException(field + " is missing", pos);
        }
        if (pos - start > max) {
            throw new MalformedSyslogException(field + " is longer than " + max + " characters", start);
        }
        String value = new String(bytes, start, pos - start, StandardCharsets.US_ASCII);
        return "-".equals(value) ? null : value;
    }

    private void space() {
        expect(' ', "a space");
    }

    private void expect(char c, String what) {
        if (pos >= end || bytes[pos] != c) {
            throw new MalformedSyslogException("expected " + what, pos);
        }
        pos++;
    }

    /** The SD-PARAMs as {@code sd.<SD-ID>.<PARAM-NAME>}; a name repeated keeps its last value. */
    private Map<String, String> structuredData() {
        if (pos < end && bytes[pos] == '-') {
            pos++;
            return Map.of();
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (pos >= end || bytes[pos] != '[') {
            throw new MalformedSyslogException("STRUCTURED-DATA must be '-' or start with '['", pos);
        }
        while (pos < end && bytes[pos] == '[') {
            pos++;
            String id = sdName("SD-ID");
            while (pos < end && bytes[pos] == ' ') {
                pos++;
                String name = sdName("PARAM-NAME");
                expect('=', "'=' after PARAM-NAME");
                expect('"', "'\"' before PARAM-VALUE");
                params.put("sd." + id + "." + name, paramValue());
            }
            expect(']', "']' closing an SD-ELEMENT");
        }
        return params;
    }

    private String sdName(String field) {
        int start = pos;
        while (pos < end && bytes[pos] >= 33 && bytes[pos] <= 126 && bytes[pos] != '=' && bytes[pos] != ']'
                && bytes[pos] != '"') {
            pos++;
        }
        if (pos == start || pos - start > MAX_SD_NAME) {
            throw new MalformedSyslogException(field + " must be 1 to " + MAX_SD_NAME + " printable characters", start);
        }
        return new String(bytes, start, pos - start, StandardCharsets.US_ASCII);
    }

    /** A PARAM-VALUE up to its closing quote, which is consumed, with its escapes undone. */
    private String paramValue() {
        int start = pos;
        while (pos < end && bytes[pos] != '"' && bytes[pos] != '\\') {
            pos++;
        }
        if (pos < end && bytes[pos] == '"') { // no escape: the bytes as they are
            pos++;
            return new String(bytes, start, pos - 1 - start, StandardCharsets.UTF_8);
        }
        pos = start;
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        while (true) {
            if (pos >= end) {
                throw new MalformedSyslogException("PARAM-VALUE is not closed by '\"'", pos);
            }
            byte b = bytes[pos];
            if (b == '"') {
                pos++;
                return value.toString(StandardCharsets.UTF_8);
            }
            if (b == '\\' && pos + 1 < end && (bytes[pos + 1] == '"' || bytes[pos + 1] == '\\' || bytes[pos + 1] == ']')) {
                value.write(bytes[pos + 1]);
                pos += 2;
            } else {
                value.write(b);
                pos++;
            }
        }
    }
}
