package io.timberdb.ingest.syslog;

/**
 * A syslog message that cannot be parsed (no PRI, or an RFC 5424 header that breaks the grammar).
 * The only exception the parsers throw; the listeners drop such a message and count it.
 */
final class MalformedSyslogException extends RuntimeException {

    MalformedSyslogException(String reason, int offset) {
        super(reason + " at byte " + offset, null, false, false);
    }
}
