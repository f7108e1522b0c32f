package io.timberdb.ingest.route;

import io.timberdb.model.api.IngestResponse;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.id.EntryIds;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardWriter;
import io.timberdb.security.tenant.CallerTenant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The write path after parsing: validates every entry (all or nothing: one bad entry rejects the
 * request and nothing is stored), assigns ids, groups the entries by shard (a hash of source and
 * tags) and appends each group to the node that holds the shard. The returned Mono completes
 * once every group is durable on its node.
 *
 * <p>Thread-safe: stateless apart from the thread-safe id generator.
 */
public final class EntryRouter {

    private final ClusterViewSource cluster;
    private final ShardWriter writer;
    private final EntryIds ids;
    private final InstantSource clock;

    public EntryRouter(ClusterViewSource cluster, ShardWriter writer, InstantSource clock) {
        this.cluster = cluster;
        this.writer = writer;
        this.ids = new EntryIds(clock);
        this.clock = clock;
    }

    /**
     * Stores {@code inputs} in the partition named (by id or name) {@code partitionRef}.
     *
     * @param paths the JSON path of each input in the request, for error messages
     */
    public Mono<IngestResponse> ingest(String partitionRef, List<LogEntryInput> inputs, List<String> paths) {
        return resolve(partitionRef).flatMap(partition -> store(partition, validate(inputs, paths)));
    }

    /**
     * As {@link #ingest}, for entries a caller has already checked and made with
     * {@link LogEntryInput#toEntry} (with any id, at least one): each is stored with an id
     * assigned here, in the order given. A caller that must refuse bad entries one by one rather
     * than the whole request (Elasticsearch's bulk API) checks them itself, once.
     */
    public Mono<IngestResponse> ingestChecked(String partitionRef, List<LogEntry> checked) {
        return resolve(partitionRef).flatMap(partition -> {
            List<LogEntry> entries = new ArrayList<>(checked.size());
            for (LogEntry entry : checked) {
                entries.add(new LogEntry(ids.next(), entry.timestamp(), entry.source(), entry.tags(), entry.message()));
            }
            return store(partition, entries);
        });
    }

    /**
     * The caller's partition with this id or name ({@link CallerTenant}): another tenant's
     * partition fails with {@code PARTITION_NOT_FOUND} exactly as a missing one.
     */
    public Mono<Partition> resolve(String partitionRef) {
        return CallerTenant.current().flatMap(tenant -> cluster.partition(tenant, partitionRef));
    }

    private Mono<IngestResponse> store(Partition partition, List<LogEntry> entries) {
        if (partition.shards().isEmpty()) {
            return Mono.error(new TimberException(ErrorCode.UNAVAILABLE,
                    "partition " + partition.name() + " has no shard placement yet"));
        }
        return Flux.fromIterable(byShard(partition, entries).entrySet())
                .flatMap(group -> append(partition, group.getKey(), group.getValue()))
                .then(Mono.fromSupplier(() -> new IngestResponse(partition.id(), entries.size(),
                        entries.stream().map(LogEntry::id).toList())));
    }

    private List<LogEntry> validate(List<LogEntryInput> inputs, List<String> paths) {
        if (inputs.isEmpty()) {
            throw TimberException.invalidField("entries", "must contain at least one entry");
        }
        var now = clock.instant();
        List<LogEntry> entries = new ArrayList<>(inputs.size());
        // Checked, sorted tags by the input's map: a parser that hands out one map per distinct tag
        // set (EntryParser does) gets each set checked and sorted once per request, not per entry.
        Map<Map<String, String>, Map<String, String>> checkedTags = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            LogEntryInput input = inputs.get(i);
            Map<String, String> tags = input.tags();
            Map<String, String> checked = tags == null ? null : checkedTags.get(tags);
            LogEntry entry = input.toEntry(paths.get(i), ids.next(), now, checked);
            if (tags != null && checked == null) {
                checkedTags.put(tags, entry.tags());
            }
            entries.add(entry);
        }
        return entries;
    }

    /** The entries of each shard, in request order; a one-shard partition takes the list as it is. */
    private static Map<Integer, List<LogEntry>> byShard(Partition partition, List<LogEntry> entries) {
        if (partition.shards().size() == 1) {
            return Map.of(0, entries);
        }
        Map<Integer, List<LogEntry>> byShard = new TreeMap<>();
        for (LogEntry entry : entries) {
            int shard = partition.shardOf(entry.source(), entry.tags());
            byShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(entry);
        }
        return byShard;
    }

    private Mono<Void> append(Partition partition, int shard, List<LogEntry> entries) {
        String node = partition.shards().get(shard).node();
        return writer.append(node, new ShardId(partition.id(), shard), entries);
    }
}
