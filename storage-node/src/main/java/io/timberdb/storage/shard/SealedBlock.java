package io.timberdb.storage.shard;

import io.timberdb.model.api.QueryFilter;
import io.timberdb.storage.block.BlockReader;
import io.timberdb.storage.manifest.BlockRef;
import java.io.IOException;
import java.time.Instant;

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

    /** Feeds the entries of every page that may match to {@code scan}; pruned pages are not read. */
    void scan(QueryFilter filter, NewestFirstScan scan) throws IOException {
        if (!overlaps(filter)) {
            return;
        }
        for (int page : reader.candidatePages(filter)) {
            reader.readPage(page).forEach(scan::accept);
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
