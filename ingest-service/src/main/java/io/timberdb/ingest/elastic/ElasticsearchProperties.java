package io.timberdb.ingest.elastic;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code timberdb.ingest.elasticsearch.*}: how the Elasticsearch bulk API maps a document to a
 * log entry. Field names are dotted paths into the document ({@code host.name} matches both
 * {@code {"host":{"name":…}}} and a literal {@code "host.name"} key).
 *
 * @param messageFields the entry's message is the first of these that holds a scalar
 * @param timestampField the entry's time (RFC 3339, or an epoch number whose unit its magnitude tells, as on the
 *        native API); absent: the server's time
 * @param sourceFields the entry's source is the first of these that holds a scalar
 * @param defaultSource the source of a document that has none of {@code sourceFields}; empty:
 *        such a document is refused (a per-item 400)
 * @param ignoredFields fields (and everything under them) left out of the tags, e.g. a per-line
 *        {@code log.offset} that would make each entry a stream of its own
 * @param autoCreatePartitions whether an index that names no partition creates one, with the
 *        cluster's defaults, in the caller's tenant (in a cluster through the coordinators'
 *        internal route); false: its items fail with 404 {@code index_not_found_exception}.
 *        Off by default, as in a cluster a typo in an index name would create a partition, and
 *        on, every {@code logs:write} caller may create partitions in its tenant; the
 *        standalone's {@code application.yml} turns it on.
 * @param version the Elasticsearch version {@code GET /} reports to clients
 */
@Validated
@ConfigurationProperties("timberdb.ingest.elasticsearch")
public record ElasticsearchProperties(
        @DefaultValue({"message", "log", "msg"}) List<String> messageFields,
        @DefaultValue("@timestamp") String timestampField,
        @DefaultValue({"host.name", "host"}) List<String> sourceFields,
        @DefaultValue("unknown") String defaultSource,
        @DefaultValue List<String> ignoredFields,
        @DefaultValue("false") boolean autoCreatePartitions,
        @DefaultValue("8.11.0") String version) {

    /** The defaults, as bound from no properties at all. */
    public static ElasticsearchProperties defaults() {
        return new ElasticsearchProperties(List.of("message", "log", "msg"), "@timestamp", List.of("host.name", "host"),
                "unknown", List.of(), false, "8.11.0");
    }

    /** These properties with {@code autoCreatePartitions} set. */
    public ElasticsearchProperties withAutoCreatePartitions(boolean autoCreate) {
        return new ElasticsearchProperties(messageFields, timestampField, sourceFields, defaultSource, ignoredFields,
                autoCreate, version);
    }
}
