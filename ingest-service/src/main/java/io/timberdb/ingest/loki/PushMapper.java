package io.timberdb.ingest.loki;

import io.timberdb.ingest.api.RepeatedValues;
import io.timberdb.ingest.push.PartitionBatches;
import io.timberdb.ingest.push.TimestampText;
import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.error.TimberException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns decoded Loki streams into TimberDB entries, grouped by the partition they go to.
 *
 * <ul>
 *   <li>tags: the stream labels, then the entry's structured metadata (a metadata name that is
 *       also a label replaces the label's value for that entry), then {@code tenant} = the
 *       {@code X-Scope-OrgID} header when one was sent (it replaces a label of that name); the
 *       entries of a stream share its map, and entries with metadata share equal maps ({@link RepeatedValues});</li>
 *   <li>source: the first of {@link LokiProperties#sourceLabels()} with a non-blank value among
 *       those tags, else {@code loki};</li>
 *   <li>message: the line; timestamp: the entry's, to the nanosecond;</li>
 *   <li>partition: the stream's {@link LokiProperties#partitionLabel()} label when set, else the
 *       request's {@link LokiProperties#partitionHeader()} header, else
 *       {@link LokiProperties#defaultPartition()}.</li>
 * </ul>
 *
 * Every check the write path would make on the entries is made here, before anything is written
 * to any partition, so that a push that spans partitions is refused whole too.
 *
 * <p>Thread-safe: immutable.
 */
final class PushMapper {

    private final LokiProperties props;

    PushMapper(LokiProperties props) {
        this.props = props;
    }

    /**
     * The entries of {@code streams} by partition reference (id or name), in the order first seen.
     *
     * @param headerPartition the partition header's value, or null
     * @param tenant the {@code X-Scope-OrgID} header's value, or null
     */
    PartitionBatches map(List<PushedStream> streams, String headerPartition, String tenant) {
        String requestPartition = headerPartition == null || headerPartition.isBlank()
                ? props.defaultPartition() : headerPartition.trim();
        PartitionBatches batches = new PartitionBatches();
        RepeatedValues repeated = new RepeatedValues();
        for (PushedStream stream : streams) {
            if (stream.entries().isEmpty()) {
                continue;
            }
            Map<String, String> streamTags = withTenant(stream.labels(), tenant);
            String partition = stream.labels().get(props.partitionLabel());
            if (partition == null || partition.isBlank()) {
                partition = requestPartition;
            }
            PartitionBatches.Batch batch = batches.of(partition);
            // entries without metadata share the stream's map: the write path checks and sorts it once
            String streamSource = source(streamTags, stream, null);
            for (PushedStream.Entry entry : stream.entries()) {
                Map<String, String> tags = streamTags;
                String source = streamSource;
                if (!entry.metadata().isEmpty()) {
                    Map<String, String> merged = new LinkedHashMap<>(stream.labels());
                    merged.putAll(entry.metadata());
                    tags = repeated.tags(withTenant(merged, tenant));
                    source = source(tags, stream, entry);
                }
                Instant at = entry.timestamp();
                batch.entries().add(new LogEntryInput(TimestampText.of(at.getEpochSecond(), at.getNano()), source, tags,
                        entry.line()));
                batch.paths().add(entry.path());
            }
        }
        return batches;
    }

    private static Map<String, String> withTenant(Map<String, String> tags, String tenant) {
        if (tenant == null) {
            return tags;
        }
        Map<String, String> with = new LinkedHashMap<>(tags);
        with.put(LokiProperties.TENANT_TAG, tenant);
        return with;
    }

    /** The source among {@code tags} of {@code stream} or, when not null, of its {@code entry}. */
    private String source(Map<String, String> tags, PushedStream stream, PushedStream.Entry entry) {
        for (String label : props.sourceLabels()) {
            String value = tags.get(label);
            if (value != null && !value.isBlank()) {
                if (value.length() > LogEntryInput.MAX_SOURCE_LENGTH) {
                    String at = entry != null && entry.metadata().containsKey(label) ? entry.path()
                            : stream.labelPath(label);
                    throw TimberException.invalidField(at, "is the source and is longer than "
                            + LogEntryInput.MAX_SOURCE_LENGTH + " characters");
                }
                return value;
            }
        }
        return LokiProperties.DEFAULT_SOURCE;
    }
}
