package io.timberdb.ingest.syslog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * What one transport does with its messages: parses each into an entry ({@link #entry}) and writes
 * batches of them to the configured partition ({@link #write}), counting every message in
 * {@code timberdb.ingest.syslog.messages{transport, outcome}}: {@code received} (each message or
 * frame that arrived), {@code stored}, {@code malformed} (unparseable, dropped), {@code refused}
 * (a frame or datagram above the maximum size, dropped), {@code dropped} (the UDP queue was full,
 * or the write failed).
 *
 * <p>A write the storage answers busy is retried with backoff ({@value #BUSY_RETRIES} times) while
 * the transport holds off (TCP reads nothing meanwhile); any other failure (the partition does not
 * exist, retries exhausted) drops the batch, counted and logged.
 *
 * <p>Thread-safe: the parser is immutable, counters are thread-safe; the mappers passed in are
 * each used by one connection at a time.
 */
final class SyslogIntake {

    static final String METRIC = "timberdb.ingest.syslog.messages";
    static final int BUSY_RETRIES = 5;
    private static final Logger log = LoggerFactory.getLogger(SyslogIntake.class);

    private final String transport;
    private final EntryRouter router;
    private final String partition;
    private final SyslogParser parser;
    private final InstantSource clock;
    private final int batchSize;
    private final Duration linger;
    private final int batchesInFlight;
    final Counter received;
    final Counter stored;
    final Counter malformed;
    final Counter refused;
    final Counter dropped;

    SyslogIntake(String transport, EntryRouter router, SyslogProperties props, InstantSource clock, MeterRegistry metrics) {
        this.transport = transport;
        this.router = router;
        this.partition = props.partition();
        this.parser = new SyslogParser(props.rfc3164Zone());
        this.clock = clock;
        this.batchSize = props.batchSize();
        this.linger = props.linger();
        this.batchesInFlight = props.batchesInFlight();
        this.received = counter(metrics, "received");
        this.stored = counter(metrics, "stored");
        this.malformed = counter(metrics, "malformed");
        this.refused = counter(metrics, "refused");
        this.dropped = counter(metrics, "dropped");
    }

    private Counter counter(MeterRegistry metrics, String outcome) {
        return Counter.builder(METRIC).tag("transport", transport).tag("outcome", outcome)
                .description("syslog messages, by transport and outcome").register(metrics);
    }

    /** Counts a frame or datagram refused for its size (it was received too). */
    void refuse() {
        received.increment();
        refused.increment();
    }

    /**
     * The checked entry of one message from {@code peer} (an IP address, or null), or null when it
     * is malformed.
     *
     * @param mapper the connection's (or the UDP listener's) mapper
     */
    LogEntry entry(byte[] message, String peer, SyslogMapper mapper) {
        received.increment();
        var now = clock.instant();
        try {
            return mapper.entry(parser.parse(message, now), peer, now);
        } catch (MalformedSyslogException e) {
            malformed.increment();
            log.debug("dropped a malformed {} syslog message from {}: {}", transport, peer, e.getMessage());
            return null;
        }
    }

    /**
     * Writes {@code entries} in batches of {@code batchSize}, or what arrived within {@code linger},
     * up to {@code batchesInFlight} batches at a time: while they are written, no more than four
     * batches' worth is asked of {@code entries} ahead (Reactor's fair {@code bufferTimeout}
     * prefetch), which is what makes a TCP connection stop reading. The batches of one connection
     * may be stored in another order than they arrived: entries are ordered by their timestamps,
     * not by their arrival.
     */
    Mono<Void> writeInBatches(Flux<LogEntry> entries) {
        return entries.bufferTimeout(batchSize, linger, true)
                .flatMap(this::write, batchesInFlight, 1)
                .then();
    }

    /**
     * Writes {@code batch} (entries checked by {@link SyslogMapper}, stored as they are); completes
     * empty once it is stored or, failing, dropped (never in error).
     */
    Mono<Void> write(List<LogEntry> batch) {
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        return Mono.defer(() -> router.ingestChecked(partition, batch))
                .retryWhen(Retry.backoff(BUSY_RETRIES, Duration.ofMillis(100)).filter(SyslogIntake::busy))
                .doOnSuccess(response -> stored.increment(batch.size()))
                .onErrorResume(e -> {
                    dropped.increment(batch.size());
                    log.warn("dropped {} {} syslog messages: partition {}: {}", batch.size(), transport, partition,
                            e.getMessage());
                    return Mono.empty();
                })
                .then();
    }

    private static boolean busy(Throwable e) {
        return e instanceof TimberException t
                && (t.code() == ErrorCode.UNAVAILABLE || t.code() == ErrorCode.TOO_MANY_REQUESTS);
    }
}
