package io.timberdb.storage.shard;

import io.timberdb.model.api.QueryFilter;
import io.timberdb.storage.block.BlockReader;
import io.timberdb.storage.block.Pruning;
import io.timberdb.storage.manifest.BlockRef;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * A block of a shard, open for reading: its manifest record and its reader.
 *
 * <p>Thread-safe (the reader is).
 */
record SealedBlock(BlockRef ref, BlockReader reader) {

    /** Whether the block's time span can hold entries the filter's time range admits. */
    boolean overlaps(QueryFilter filter) {
        Instant from = filter.from();
        Instant to = filter.to();
        return (from == null || !ref.maxTimestamp().isBefore(from)) && (to == null || ref.minTimestamp().isBefore(to));
    }

    /**
     * Feeds the entries of every page that may match {@code filter} and hold the scan's required
     * terms to {@code scan}; pruned pages are not read, and none is for a scan that only explains,
     * nor, for a count by one label, a page its postings can count ({@link PostingCountPlan}).
     * The scan counts the block's pages and how many passed.
     */
    void scan(QueryFilter filter, ShardScan scan) throws IOException {
        Pruning pruning = overlaps(filter) ? reader.prune(filter, scan.requiredTerms()) : new Pruning(List.of(),
                reader.pageCount(), 0, 0);
        List<Integer> candidates = pruning.candidates();
        scan.block(reader.pageCount(), pruning);
        if (scan.explain()) {
            return;
        }
        if (scan.postingCounts() != null) {
            candidates = scan.postingCounts().count(reader, candidates, filter, scan);
        }
        List<Integer> order = new java.util.ArrayList<>(candidates);
        // newest pages first for a newest-first scan (oldest first otherwise): the matches kept
        // early are then mostly the final ones, and few rows are copied only to be pushed out
        Comparator<Integer> byTime = scan.newestFirst()
                ? Comparator.comparing((Integer p) -> reader.page(p).maxTimestamp()).reversed()
                : Comparator.comparing((Integer p) -> reader.page(p).minTimestamp());
        order.sort(byTime);
        for (int page : order) {
            scan.accept(reader.columns(page));
        }
    }

    void close() {
        try {
            reader.close();
        } catch (IOException e) {
            // nothing to flush: the reader only reads
        }
    }
}
