package io.timberdb.ingest.syslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Parses one syslog message (a UDP datagram or a TCP frame) of either format. Both start with the
 * PRI, {@code <N>} with N = facility * 8 + severity (0-191, one to three digits); RFC 5424 follows
 * it with a VERSION and a space ({@code <34>1 2003-10-11T22:14:15.003Z ...}), which no RFC 3164
 * message does ({@code <34>Oct 11 22:14:15 ...}), so the byte after the PRI tells the format apart.
 * Trailing LF, CR and NUL bytes (which some UDP senders append) are ignored.
 *
 * <p>A message without a PRI, or an RFC 5424 message whose header breaks the grammar, is
 * {@link MalformedSyslogException} (the listeners drop it and count it); an RFC 3164 message is
 * parsed leniently, as that RFC asks of a receiver ({@link Rfc3164Parser}). Nothing else is ever
 * thrown, whatever the bytes.
 *
 * <p>Thread-safe: immutable.
 */
final class SyslogParser {

    static final int MAX_PRI = 191;

    private final ZoneId rfc3164Zone;

    /**
     * @param rfc3164Zone the zone RFC 3164 timestamps (which carry none) are read in
     */
    SyslogParser(ZoneId rfc3164Zone) {
        this.rfc3164Zone = rfc3164Zone;
    }

    /**
     * The message in {@code bytes}.
     *
     * @param receivedAt when it arrived: RFC 3164 timestamps take their year from it
     * @throws MalformedSyslogException if it has no PRI or breaks the RFC 5424 grammar
     */
    SyslogMessage parse(byte[] bytes, Instant receivedAt) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r' || bytes[end - 1] == 0)) {
            end--;
        }
        if (end == 0 || bytes[0] != '<') {
            throw new MalformedSyslogException("no PRI: the message does not start with '<'", 0);
        }
        int pos = 1;
        int pri = 0;
        while (pos < end && pos <= 3 && isDigit(bytes[pos])) {
            pri = pri * 10 + (bytes[pos] - '0');
            pos++;
        }
        if (pos == 1 || pos >= end || bytes[pos] != '>') {
            throw new MalformedSyslogException("no PRI: expected 1 to 3 digits and '>'", pos);
        }
        if (pri > MAX_PRI) {
            throw new MalformedSyslogException("PRI " + pri + " is above " + MAX_PRI, 1);
        }
        pos++;
        if (startsVersion(bytes, pos, end)) {
            return new Rfc5424Parser(bytes, pos, end).parse(pri >> 3, pri & 7);
        }
        return Rfc3164Parser.parse(bytes, pos, end, pri >> 3, pri & 7, receivedAt, rfc3164Zone);
    }

    /** Whether a VERSION (a non-zero digit and up to two more) and a space start at {@code pos}. */
    private static boolean startsVersion(byte[] bytes, int pos, int end) {
        if (pos >= end || bytes[pos] < '1' || bytes[pos] > '9') {
            return false;
        }
        int i = pos + 1;
        while (i < end && i < pos + 3 && isDigit(bytes[i])) {
            i++;
        }
        return i < end && bytes[i] == ' ';
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** {@code bytes[from, to)} as UTF-8, invalid sequences replaced by U+FFFD, a leading BOM dropped. */
    static String text(byte[] bytes, int from, int to) {
        if (to - from >= 3 && bytes[from] == (byte) 0xEF && bytes[from + 1] == (byte) 0xBB && bytes[from + 2] == (byte) 0xBF) {
            from += 3;
        }
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}
