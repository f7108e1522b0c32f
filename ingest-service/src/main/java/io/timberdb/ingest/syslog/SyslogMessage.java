package io.timberdb.ingest.syslog;

import java.time.Instant;
import java.util.Map;

/**
 * A parsed syslog message, of either format. Absent (or nil, {@code -}) fields are null.
 *
 * @param facility the PRI's facility, 0-23
 * @param severity the PRI's severity, 0-7
 * @param timestamp the message's time, null when it has none
 * @param hostname the HOSTNAME field
 * @param app APP-NAME (RFC 5424) or the TAG (RFC 3164)
 * @param procid PROCID (RFC 5424) or the TAG's {@code [pid]} (RFC 3164)
 * @param msgid MSGID (RFC 5424 only)
 * @param structuredData the SD-PARAMs as {@code sd.<SD-ID>.<PARAM-NAME>} to their values (RFC 5424 only)
 * @param message MSG, decoded as UTF-8 (invalid sequences replaced), without a leading BOM
 */
record SyslogMessage(int facility, int severity, Instant timestamp, String hostname, String app, String procid,
                     String msgid, Map<String, String> structuredData, String message) {
}
