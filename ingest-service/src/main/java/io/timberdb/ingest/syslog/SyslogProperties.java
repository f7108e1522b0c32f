package io.timberdb.ingest.syslog;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code timberdb.ingest.syslog.*}: the syslog listeners (RFC 5424 and RFC 3164 over TCP and UDP).
 * Both transports are off by default.
 *
 * @param host the address both listeners bind to (loopback by default; {@code 0.0.0.0} for every interface)
 * @param partition the partition (id or name) every message is written to; it must exist (it is
 *        not created on demand)
 * @param tcp the TCP listener (octet counting and newline framing, RFC 6587)
 * @param udp the UDP listener (one datagram, one message, RFC 5426)
 * @param maxMessageSize the largest UDP datagram accepted (larger ones are dropped and counted);
 *        at most 65,507 bytes, the largest UDP payload
 * @param maxFrameSize the largest TCP frame accepted (an octet count or a line past it is refused)
 * @param batchSize the messages written to the partition at once, at most
 * @param linger how long a batch waits for more messages before it is written anyway
 * @param batchesInFlight the batches of one TCP connection (or of the UDP listener) written at once:
 *        while they are written the next one fills, so a busy write path's latency is overlapped
 *        rather than paid by every batch in turn
 * @param maxPendingMessages the UDP messages held while the write path is busy; more are dropped and counted
 * @param rfc3164Zone the time zone of RFC 3164 timestamps, which carry none
 */
@Validated
@ConfigurationProperties("timberdb.ingest.syslog")
public record SyslogProperties(
        @DefaultValue("127.0.0.1") @NotBlank String host,
        @DefaultValue("syslog") @NotBlank String partition,
        @DefaultValue @Valid @NotNull Listener tcp,
        @DefaultValue @Valid @NotNull Listener udp,
        @DefaultValue("8KB") @NotNull DataSize maxMessageSize,
        @DefaultValue("64KB") @NotNull DataSize maxFrameSize,
        @DefaultValue("500") @Min(1) int batchSize,
        @DefaultValue("200ms") @NotNull Duration linger,
        @DefaultValue("4") @Min(1) @Max(16) int batchesInFlight,
        @DefaultValue("10000") @Min(1) int maxPendingMessages,
        @DefaultValue("UTC") @NotNull ZoneId rfc3164Zone) {

    /** The largest payload of a UDP datagram over IPv4. */
    static final int MAX_UDP_PAYLOAD = 65_507;

    /**
     * One listener.
     *
     * @param enabled whether it listens
     * @param port its port (0: any free port, as tests use; {@link SyslogServer} tells the bound one)
     */
    public record Listener(@DefaultValue("false") boolean enabled, @DefaultValue("514") @Min(0) @Max(65535) int port) {
    }

    /** The largest datagram, within what UDP carries. */
    int maxDatagram() {
        return (int) Math.min(maxMessageSize.toBytes(), MAX_UDP_PAYLOAD);
    }
}
