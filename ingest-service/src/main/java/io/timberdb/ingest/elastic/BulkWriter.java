package io.timberdb.ingest.elastic;

import io.timberdb.ingest.api.RepeatedValues;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.PartitionCatalog;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.security.tenant.CallerTenant;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Stores the good items of a bulk request and refuses the bad ones, item by item:
 * <ol>
 *   <li>each document is mapped ({@link DocumentMapper}) and checked as the native API checks an
 *       entry; one that fails is refused with 400 {@code document_parsing_exception}; documents
 *       with equal tags share one tag map ({@link RepeatedValues}), checked and sorted once;</li>
 *   <li>each index is looked up as a partition name or id in the caller's tenant; an unknown one
 *       is created there, with the cluster's defaults, when {@code auto-create-partitions} is on
 *       (through the {@link PartitionCatalog} in the standalone, through the coordinators'
 *       internal route in a cluster, see {@link Creator}), else its items are refused with 404
 *       {@code index_not_found_exception}; a creation that loses a race to another request
 *       ({@code PARTITION_EXISTS}) counts as done; a name the catalog refuses refuses its items
 *       with 400 {@code invalid_index_name_exception};</li>
 *   <li>the good items of each partition go to {@link EntryRouter} in one call, partition after
 *       partition, as the entries checked in step 1 (not checked again), and are acknowledged with
 *       the ids it assigned once all are durable. The router finds a partition just created even
 *       where its cached cluster view has not caught up: a name missing from the cached view is
 *       looked up again with a consistent read, which sees every committed creation.</li>
 * </ol>
 * A failure to store (a busy or unreachable node, a full disk, a timeout), or to look up or
 * create a partition for a reason other than the index name (no coordinator answers, no storage
 * node is active, the coordinators refuse this process's cluster credential), fails the whole
 * request with its error: no item is acknowledged. The partitions stored before the failing one
 * stay stored (as do the shards of one partition written before another failed), so a client
 * that retries the whole request may store those entries twice; nothing acknowledged is lost and
 * nothing refused is written.
 *
 * <p>Thread-safe: immutable; the router and creator are thread-safe.
 */
final class BulkWriter {

    /**
     * Creates a partition as the request says: a {@link PartitionCatalog} in-process (the
     * standalone), or {@code CoordinatorClient::createPartition} (a cluster's ingest service, which
     * asks the coordinators' internal route on behalf of its caller). Fails with
     * {@code PARTITION_EXISTS} on a name the tenant has taken.
     */
    @FunctionalInterface
    interface Creator {
        Mono<Partition> create(CreatePartitionRequest request);
    }

    /** The outcome of one item: the id of its stored entry, or its error. */
    record Outcome(String id, BulkItem.Error error) {
    }

    private final EntryRouter router;
    private final Creator creator;
    private final DocumentMapper mapper;
    private final boolean autoCreate;
    private final InstantSource clock;

    /** @param creator what creates partitions, or null where nothing can */
    BulkWriter(EntryRouter router, Creator creator, ElasticsearchProperties props, InstantSource clock) {
        this.router = router;
        this.creator = creator;
        this.mapper = new DocumentMapper(props);
        this.autoCreate = props.autoCreatePartitions();
        this.clock = clock;
    }

    /** The outcome of each of {@code items}, in their order. */
    Mono<List<Outcome>> write(List<BulkItem> items) {
        return Mono.defer(() -> {
            Outcome[] outcomes = new Outcome[items.size()];
            Map<String, Group> groups = new LinkedHashMap<>();
            Instant now = clock.instant();
            RepeatedValues repeated = new RepeatedValues();
            // the checked tags of each shared tag set, so that the check below sorts each set once
            Map<Map<String, String>, Map<String, String>> checkedTags = new IdentityHashMap<>();
            for (int i = 0; i < items.size(); i++) {
                BulkItem item = items.get(i);
                if (item.error() != null) {
                    outcomes[i] = new Outcome(null, item.error());
                    continue;
                }
                try {
                    LogEntryInput input = mapper.map(item.document(), repeated);
                    // checked here, item by item, and stored as checked: the router's check would refuse the group
                    LogEntry checked = input.toEntry("", "", now, checkedTags.get(input.tags()));
                    checkedTags.putIfAbsent(input.tags(), checked.tags());
                    groups.computeIfAbsent(item.index(), Group::new).add(i, checked);
                } catch (TimberException e) {
                    outcomes[i] = new Outcome(null, new BulkItem.Error(400, "document_parsing_exception", e.getMessage()));
                }
            }
            return Flux.fromIterable(groups.values())
                    .concatMap(group -> store(group, outcomes))
                    .then(Mono.fromSupplier(() -> List.of(outcomes)));
        });
    }

    private Mono<Void> store(Group group, Outcome[] outcomes) {
        return partitionRefusal(group.index)
                .doOnNext(refusal -> {
                    for (int k = 0; k < group.count; k++) {
                        outcomes[group.positions[k]] = new Outcome(null, refusal);
                    }
                })
                .hasElement()
                .flatMap(refused -> refused ? Mono.<Void>empty()
                        : router.ingestChecked(group.index, group.entries).doOnNext(stored -> {
                            for (int k = 0; k < group.count; k++) {
                                outcomes[group.positions[k]] = new Outcome(stored.ids().get(k), null);
                            }
                        }).then());
    }

    /**
     * Empty when the index names a partition (created here if need be); the error to refuse its
     * items with when it does not; a failed Mono when the lookup itself failed.
     */
    private Mono<BulkItem.Error> partitionRefusal(String index) {
        return router.resolve(index).then(Mono.<BulkItem.Error>empty())
                .onErrorResume(e -> isCode(e, ErrorCode.PARTITION_NOT_FOUND), e -> autoCreate && creator != null
                        ? create(index) : Mono.just(notFound(index)));
    }

    private Mono<BulkItem.Error> create(String index) {
        // created in the caller's tenant, the only one its later lookups see
        return CallerTenant.current().flatMap(tenant -> creator.create(new CreatePartitionRequest(index, null, null, null,
                        null, null, null, null, null, tenant).validated()))
                .then(Mono.<BulkItem.Error>empty())
                .onErrorResume(e -> isCode(e, ErrorCode.PARTITION_EXISTS), e -> Mono.empty()) // created meanwhile
                .onErrorResume(e -> isCode(e, ErrorCode.INVALID_FIELD), // the name: the only field this request sets
                        e -> Mono.just(new BulkItem.Error(400, "invalid_index_name_exception",
                                "Invalid index name [" + index + "]: " + e.getMessage())));
    }

    private BulkItem.Error notFound(String index) {
        return new BulkItem.Error(404, "index_not_found_exception", "no such index [" + index + "]"
                + (autoCreate ? ": this process cannot create partitions; create it through the partition API"
                        : " and timberdb.ingest.elasticsearch.auto-create-partitions is off"));
    }

    private static boolean isCode(Throwable e, ErrorCode code) {
        return e instanceof TimberException te && te.code() == code;
    }

    /** The good items of one index: their positions in the request and their checked entries. */
    private static final class Group {

        final String index;
        int[] positions = new int[16];
        int count;
        final List<LogEntry> entries = new ArrayList<>();

        Group(String index) {
            this.index = index;
        }

        void add(int position, LogEntry entry) {
            if (count == positions.length) {
                positions = Arrays.copyOf(positions, 2 * count);
            }
            positions[count++] = position;
            entries.add(entry);
        }
    }
}
