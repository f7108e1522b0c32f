package io.timberdb.ingest.otlp;

import io.timberdb.ingest.api.RepeatedValues;
import io.timberdb.ingest.push.PartitionBatches;
import io.timberdb.ingest.push.TimestampText;
import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.error.TimberException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns decoded OTLP log records into TimberDB entries, grouped by the partition they go to.
 *
 * <ul>
 *   <li>message: the body; a string as it is, any other value as compact JSON text (bytes in
 *       base64), none as the empty string;</li>
 *   <li>timestamp: {@code time_unix_nano}, else {@code observed_time_unix_nano}, else the server's
 *       time (the write path's clock);</li>
 *   <li>tags, later ones replacing earlier ones of the same key: the resource attributes,
 *       {@code otel.scope.name} and {@code otel.scope.version}, the record's attributes (a
 *       key-value list flattened to dotted keys, an array as JSON text), {@code level} (the severity
 *       text lower-cased, else the severity number's range: 1-4 trace, 5-8 debug, 9-12 info, 13-16
 *       warn, 17-20 error, 21-24 fatal; none for 0 or an unknown number), {@code trace_id} and
 *       {@code span_id} (lower-case hex, when not empty); records with equal tags share one map
 *       ({@link RepeatedValues});</li>
 *   <li>source: the resource attribute {@code service.name}, else {@code host.name}, else
 *       {@code otel};</li>
 *   <li>partition: the resource attribute {@link OtlpProperties#partitionAttribute()}, else the
 *       request's {@link OtlpProperties#partitionHeader()} header, else
 *       {@link OtlpProperties#defaultPartition()}.</li>
 * </ul>
 *
 * <p>Thread-safe: immutable.
 */
final class LogRecordMapper {

    static final String DEFAULT_SOURCE = "otel";
    static final List<String> SOURCE_ATTRIBUTES = List.of("service.name", "host.name");
    private static final String[] LEVELS = {"trace", "debug", "info", "warn", "error", "fatal"};
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final OtlpProperties props;
    private final ObjectMapper json;

    LogRecordMapper(OtlpProperties props, ObjectMapper json) {
        this.props = props;
        this.json = json;
    }

    /** The entries of {@code logs} by partition; {@code headerPartition} is the header's value or null. */
    PartitionBatches map(List<OtlpLog> logs, String headerPartition) {
        String requestPartition = headerPartition == null ? props.defaultPartition() : headerPartition;
        PartitionBatches batches = new PartitionBatches();
        RepeatedValues repeated = new RepeatedValues();
        for (OtlpLog log : logs) {
            Map<String, String> resource = log.resource().attributes();
            String partition = resource.get(props.partitionAttribute());
            if (partition == null || partition.isBlank()) {
                partition = requestPartition;
            }
            batches.add(partition, new LogEntryInput(timestamp(log), source(log.resource()), repeated.tags(tags(log)),
                    log.body() == null ? "" : AnyValues.text(log.body(), json)), log.path());
        }
        return batches;
    }

    /** The entry's timestamp text, or null for the server's time. */
    private static String timestamp(OtlpLog log) {
        long nanos = log.timeUnixNano();
        String field = ".timeUnixNano";
        if (nanos == 0) {
            nanos = log.observedTimeUnixNano();
            field = ".observedTimeUnixNano";
        }
        if (nanos == 0) {
            return null;
        }
        if (nanos < 0) { // past 2^63 - 1 as an unsigned count: beyond the year 2262
            throw TimberException.invalidField(log.path() + field, "is out of range (after the year 2262)");
        }
        return TimestampText.of(nanos / NANOS_PER_SECOND, (int) (nanos % NANOS_PER_SECOND));
    }

    private static String source(OtlpLog.Resource resource) {
        for (String attribute : SOURCE_ATTRIBUTES) {
            String value = resource.attributes().get(attribute);
            if (value != null && !value.isBlank()) {
                if (value.length() > LogEntryInput.MAX_SOURCE_LENGTH) {
                    throw TimberException.invalidField(resource.path() + ".attributes." + attribute,
                            "is the source and is longer than " + LogEntryInput.MAX_SOURCE_LENGTH + " characters");
                }
                return value;
            }
        }
        return DEFAULT_SOURCE;
    }

    private static Map<String, String> tags(OtlpLog log) {
        Map<String, String> tags = new LinkedHashMap<>(log.resource().attributes());
        if (log.scopeName() != null && !log.scopeName().isEmpty()) {
            tags.put("otel.scope.name", log.scopeName());
        }
        if (log.scopeVersion() != null && !log.scopeVersion().isEmpty()) {
            tags.put("otel.scope.version", log.scopeVersion());
        }
        tags.putAll(log.attributes());
        String level = level(log);
        if (level != null) {
            tags.put("level", level);
        }
        if (log.traceId() != null) {
            tags.put("trace_id", log.traceId());
        }
        if (log.spanId() != null) {
            tags.put("span_id", log.spanId());
        }
        return tags;
    }

    /** The severity text lower-cased, else the name of the severity number's range, else null. */
    static String level(OtlpLog log) {
        if (log.severityText() != null && !log.severityText().isBlank()) {
            return log.severityText().trim().toLowerCase(Locale.ROOT);
        }
        int number = log.severityNumber();
        return number >= 1 && number <= 24 ? LEVELS[(number - 1) / 4] : null;
    }
}
