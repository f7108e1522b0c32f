package io.timberdb.bench.protocol;

import io.timberdb.bench.data.GeneratedEntry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Syslog over TCP as production shippers send it (rsyslog's and syslog-ng's RFC 5424 output):
 * RFC 5424 messages, each framed by octet counting (RFC 6587: {@code MSG-LEN SP SYSLOG-MSG}), one
 * batch being the frames of its entries back to back. Per entry:
 *
 * <pre>
 * &lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME - - STRUCTURED-DATA SP MSG
 * </pre>
 *
 * <table>
 *   <caption>fields, and what the server's mapping ({@code SyslogMapper}) stores of them</caption>
 *   <tr><th>field</th><th>from the entry</th><th>stored as</th></tr>
 *   <tr><td>PRI</td><td>facility {@code user} (1) * 8 + the level's severity: fatal crit (2), error
 *       err (3), warn warning (4), notice notice (5), info info (6), debug and trace debug (7)</td>
 *       <td>tags {@code facility}, {@code severity}, and {@code level} from the severity: the
 *       level, but notice is stored as {@code info} and trace as {@code debug}</td></tr>
 *   <tr><td>TIMESTAMP</td><td>the timestamp, UTC, six fraction digits (RFC 5424's TIME-SECFRAC
 *       allows no more)</td><td>the timestamp, to the microsecond</td></tr>
 *   <tr><td>HOSTNAME</td><td>the source</td><td>the source</td></tr>
 *   <tr><td>APP-NAME</td><td>the system</td><td>tag {@code app}</td></tr>
 *   <tr><td>PROCID, MSGID</td><td>nil: the entries have neither</td><td>nothing</td></tr>
 *   <tr><td>STRUCTURED-DATA</td><td>{@code [loghub@32473 component="…"]} when the entry has a
 *       component (32473 is the private enterprise number for documentation, RFC 5612), else
 *       nil</td><td>tag {@code sd.loghub@32473.component}</td></tr>
 *   <tr><td>MSG</td><td>the message, UTF-8, without a BOM (as rsyslog sends it)</td><td>the message</td></tr>
 * </table>
 *
 * So of the native tags only {@code level} keeps its name (and not every value); {@code system} and
 * {@code component} come back under the mapping's names, and {@code facility} and {@code severity}
 * are added: syslog has no free-form tags, and structured data is stored under {@code sd.} names.
 *
 * <p>Stateless; thread-safe.
 */
final class SyslogEncoder {

    /** The facility of every message: {@code user}. */
    static final int FACILITY = 1;
    /** The SD-ID of the element that carries the component. */
    static final String SD_ID = "loghub@32473";
    /** The SD-PARAM name of the component. */
    static final String COMPONENT_PARAM = "component";
    /** RFC 5424's limits of HOSTNAME and APP-NAME. */
    private static final int MAX_HOSTNAME = 255;
    private static final int MAX_APP_NAME = 48;

    private SyslogEncoder() {
    }

    /**
     * The octet-counted frames of {@code batch}, in order.
     *
     * @throws IllegalArgumentException when a source or system cannot be a HOSTNAME or APP-NAME
     *         (1 to 255 / 48 printable US-ASCII characters)
     */
    static byte[] encode(List<GeneratedEntry> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 240);
        StringBuilder message = new StringBuilder(256);
        for (GeneratedEntry e : batch) {
            message.setLength(0);
            byte[] bytes = appendMessage(message, e).toString().getBytes(StandardCharsets.UTF_8);
            out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            out.write(' ');
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /** The syslog severity of a generated level (see the table above). */
    static int severity(String level) {
        return switch (level) {
            case "fatal" -> 2;
            case "error" -> 3;
            case "warn" -> 4;
            case "notice" -> 5;
            case "info" -> 6;
            case "debug", "trace" -> 7;
            default -> throw new IllegalArgumentException("no syslog severity for level '" + level + "'");
        };
    }

    /** Appends the RFC 5424 message of {@code e}, without its frame's length. */
    static StringBuilder appendMessage(StringBuilder out, GeneratedEntry e) {
        out.append('<').append(FACILITY * 8 + severity(e.level())).append(">1 ");
        e.appendTimestamp(out, 6).append(' ');
        out.append(headerField("source", e.source(), MAX_HOSTNAME)).append(' ');
        out.append(headerField("system", e.system(), MAX_APP_NAME)).append(" - - ");
        if (e.component() == null) {
            out.append('-');
        } else {
            out.append('[').append(SD_ID).append(' ').append(COMPONENT_PARAM).append("=\"");
            appendParamValue(out, e.component());
            out.append("\"]");
        }
        return out.append(' ').append(e.message());
    }

    private static String headerField(String name, String value, int max) {
        boolean printable = !value.isEmpty() && value.length() <= max && !"-".equals(value)
                && value.chars().allMatch(c -> c >= 33 && c <= 126);
        if (!printable) {
            throw new IllegalArgumentException("the " + name + " '" + value + "' is not 1 to " + max
                    + " printable US-ASCII characters (other than a lone '-')");
        }
        return value;
    }

    /** A PARAM-VALUE's text: {@code "}, {@code \} and {@code ]} escaped with a backslash (RFC 5424, 6.3.3). */
    private static void appendParamValue(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                out.append('\\');
            }
            out.append(c);
        }
    }
}
