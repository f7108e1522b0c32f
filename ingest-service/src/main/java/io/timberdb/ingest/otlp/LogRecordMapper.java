package io.timberdb.ingest.otlp;

import io.timberdb.ingest.api.RepeatedValues;
import io.timberdb.ingest.push.PartitionBatches;
import io.timberdb.ingest.push.TimestampText;
import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.error.TimberException;
import java.util.Arrays;
import java.util.HashMap;
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
        TagPairs tags = new TagPairs();
        for (OtlpLog log : logs) {
            Map<String, String> resource = log.resource().attributes();
            String partition = resource.get(props.partitionAttribute());
            if (partition == null || partition.isBlank()) {
                partition = requestPartition;
            }
            batches.add(partition, new LogEntryInput(timestamp(log), source(log.resource()), tags.of(log, repeated),
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

    /**
     * The tags of a record as (key, value) pairs, a later key replacing an earlier one's value in
     * its place (as a map's put would), handed to {@link RepeatedValues} without a map per record.
     * A key is found by a linear search among the first {@link #SCANNED} tags, through an index
     * beyond (a record with many attributes must not cost their square).
     * Not thread-safe: one per request, reused from record to record.
     */
    private static final class TagPairs {

        private static final int SCANNED = 16;

        private String[] pairs = new String[2 * SCANNED];
        private int count;
        /** The place of each key once there are more than {@link #SCANNED}; else null. */
        private Map<String, Integer> index;

        /** The tags of {@code log}, as the request's shared map of that tag set. */
        Map<String, String> of(OtlpLog log, RepeatedValues repeated) {
            count = 0;
            index = null;
            log.resource().attributes().forEach(this::put);
            if (log.scopeName() != null && !log.scopeName().isEmpty()) {
                put("otel.scope.name", log.scopeName());
            }
            if (log.scopeVersion() != null && !log.scopeVersion().isEmpty()) {
                put("otel.scope.version", log.scopeVersion());
            }
            log.attributes().forEach(this::put);
            String level = level(log);
            if (level != null) {
                put("level", level);
            }
            if (log.traceId() != null) {
                put("trace_id", log.traceId());
            }
            if (log.spanId() != null) {
                put("span_id", log.spanId());
            }
            return repeated.tags(pairs, count);
        }

        private void put(String key, String value) {
            int place = placeOf(key);
            if (place >= 0) {
                pairs[2 * place + 1] = value;
                return;
            }
            if (2 * count == pairs.length) {
                pairs = Arrays.copyOf(pairs, 2 * pairs.length);
            }
            pairs[2 * count] = key;
            pairs[2 * count + 1] = value;
            count++;
            if (index != null) {
                index.put(key, count - 1);
            } else if (count > SCANNED) {
                index = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    index.put(pairs[2 * i], i);
                }
            }
        }

        private int placeOf(String key) {
            if (index != null) {
                return index.getOrDefault(key, -1);
            }
            for (int i = 0; i < count; i++) {
                if (pairs[2 * i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }
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
