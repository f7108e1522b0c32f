package io.timberdb.ingest.push;

import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.api.LogEntryInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The entries of one push, grouped by the partition (id or name) they go to, in the order the
 * partitions are first named, each with the request path of every entry for error messages.
 * {@link #write} resolves every partition first (an unknown one refuses the push whole, 404),
 * then writes partition by partition.
 *
 * <p>Not thread-safe: built by one request.
 */
public final class PartitionBatches {

    /** The entries of one partition, with the request path of each. */
    public record Batch(List<LogEntryInput> entries, List<String> paths) {
    }

    private final Map<String, Batch> batches = new LinkedHashMap<>();

    /** The batch of {@code partition}, created empty the first time. */
    public Batch of(String partition) {
        return batches.computeIfAbsent(partition, p -> new Batch(new ArrayList<>(), new ArrayList<>()));
    }

    /** Adds {@code entry}, found at {@code path} of the request, to {@code partition}'s batch. */
    public void add(String partition, LogEntryInput entry, String path) {
        Batch batch = of(partition);
        batch.entries().add(entry);
        batch.paths().add(path);
    }

    /** The batches by partition, in the order first named. */
    public Map<String, Batch> byPartition() {
        return batches;
    }

    /** Resolves every partition (an unknown one refuses the push before anything is written), then writes. */
    public Mono<Void> write(EntryRouter router) {
        return Flux.fromIterable(batches.keySet()).concatMap(router::resolve).then()
                .thenMany(Flux.fromIterable(batches.entrySet()).concatMap(
                        batch -> router.ingest(batch.getKey(), batch.getValue().entries(), batch.getValue().paths())))
                .then();
    }
}
