package io.timberdb.bench.protocol;

import io.timberdb.bench.data.GeneratedEntry;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The ingest protocols TimberDB serves, each with the request body its clients send for a batch
 * of generated entries. The body never names the partition: the path (native API,
 * Elasticsearch) or the {@code X-TimberDB-Partition} header (Loki, OTLP) does, so one body can be
 * sent to any partition.
 *
 * <p>Every HTTP protocol's body stores the same entries as the native NDJSON line of
 * {@link GeneratedEntry#appendNdjson}: timestamp (to the nanosecond), source, tags {@code system},
 * {@code level}, {@code component} (when the sample names one) and message. One difference is the
 * servers' mapping rule and cannot be avoided: Loki keeps the label it takes the source from as a
 * tag ({@code host}), and OTLP keeps the resource attribute it takes the source from as a tag
 * ({@code host.name}); so their entries have one more tag, whose value is the source (the number of
 * streams is the same).
 *
 * <p>{@link #SYSLOG} is the one protocol that is not HTTP: its "body" is a batch of octet-counted
 * RFC 5424 frames, written to the syslog TCP listener, which has no answer and one configured
 * partition; {@link #overHttp()} tells it apart. Its mapping has no free-form tags, so its entries
 * differ more: timestamps to the microsecond, {@code system} as tag {@code app}, {@code component}
 * as {@code sd.loghub@32473.component}, tags {@code facility} and {@code severity} added, and
 * levels notice and trace stored as info and debug ({@link SyslogEncoder} says why).
 *
 * <p>Immutable; thread-safe.
 */
public enum Protocol {

    /** {@code POST /api/v1/partitions/{p}/logs}, {@code application/x-ndjson}; 200 with {@code accepted}. */
    NDJSON("ndjson", "application/x-ndjson", 200) {
        @Override
        public byte[] encode(List<GeneratedEntry> batch) {
            StringBuilder out = new StringBuilder(batch.size() * 256);
            batch.forEach(e -> e.appendNdjson(out));
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public URI endpoint(URI base, String partition) {
            return base.resolve("/api/v1/partitions/" + encoded(partition) + "/logs");
        }
    },
    /** {@code POST /{index}/_bulk} with {@code create} actions; 200 with {@code "errors":false}. */
    ES_BULK("es-bulk", "application/x-ndjson", 200) {
        @Override
        public byte[] encode(List<GeneratedEntry> batch) {
            return BulkEncoder.encode(batch);
        }

        @Override
        public URI endpoint(URI base, String partition) {
            return base.resolve("/" + encoded(partition) + "/_bulk");
        }
    },
    /** {@code POST /loki/api/v1/push}, a snappy block of {@code logproto.PushRequest}; 204. */
    LOKI_PROTOBUF("loki-protobuf", "application/x-protobuf", 204) {
        @Override
        public byte[] encode(List<GeneratedEntry> batch) {
            return LokiEncoder.protobuf(batch);
        }
    },
    /** {@code POST /loki/api/v1/push}, {@code {"streams":[…]}}; 204. */
    LOKI_JSON("loki-json", "application/json", 204) {
        @Override
        public byte[] encode(List<GeneratedEntry> batch) {
            return LokiEncoder.json(batch);
        }
    },
    /** {@code POST /v1/logs}, an {@code ExportLogsServiceRequest}; 200. */
    OTLP_PROTOBUF("otlp-protobuf", "application/x-protobuf", 200) {
        @Override
        public byte[] encode(List<GeneratedEntry> batch) {
            return OtlpEncoder.protobuf(batch);
        }
    },
    /** {@code POST /v1/logs}, OTLP/JSON; 200. */
    OTLP_JSON("otlp-json", "application/json", 200) {
        @Override
        public byte[] encode(List<GeneratedEntry> batch) {
            return OtlpEncoder.json(batch);
        }
    },
    /** Syslog over TCP: octet-counted RFC 5424 frames to the listener's port; no content type, no answer. */
    SYSLOG("syslog", null, 0) {
        @Override
        public byte[] encode(List<GeneratedEntry> batch) {
            return SyslogEncoder.encode(batch);
        }

        @Override
        public URI endpoint(URI base, String partition) {
            throw new UnsupportedOperationException("syslog is not HTTP: it goes to the TCP listener's port");
        }
    };

    /** The header that names the partition of a Loki push or an OTLP export (the servers' default). */
    public static final String PARTITION_HEADER = "X-TimberDB-Partition";

    /** The name used on the command line, in partition names and in reports. */
    public final String id;
    /** The request's Content-Type (null for syslog). */
    public final String contentType;
    /** The status of a success (0 for syslog). */
    public final int status;

    Protocol(String id, String contentType, int status) {
        this.id = id;
        this.contentType = contentType;
        this.status = status;
    }

    /** The request body that sends {@code batch}, in order (Loki and OTLP group it by stream or resource). */
    public abstract byte[] encode(List<GeneratedEntry> batch);

    /** The URL to send a body for {@code partition} to; Loki and OTLP name it in {@link #PARTITION_HEADER}. */
    public URI endpoint(URI base, String partition) {
        return base.resolve(this == LOKI_PROTOBUF || this == LOKI_JSON ? "/loki/api/v1/push" : "/v1/logs");
    }

    /** Whether the partition goes in {@link #PARTITION_HEADER} rather than in the path (HTTP protocols only). */
    public boolean partitionInHeader() {
        return this != NDJSON && this != ES_BULK;
    }

    /** Whether the bodies are HTTP requests (all but {@link #SYSLOG}). */
    public boolean overHttp() {
        return this != SYSLOG;
    }

    /** The protocol of {@code id} (case-insensitive). */
    public static Protocol of(String id) {
        for (Protocol p : values()) {
            if (p.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + id + "'; use one of " + ids());
    }

    /** Every protocol's id, comma-separated, in declaration order. */
    public static String ids() {
        return String.join(",", java.util.Arrays.stream(values()).map(p -> p.id).toList());
    }

    private static String encoded(String partition) {
        return URLEncoder.encode(partition, StandardCharsets.UTF_8);
    }
}
