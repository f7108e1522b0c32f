package io.timberdb.storage.shard;

import io.timberdb.model.api.QueryFilter;
import io.timberdb.storage.block.BlockReader;
import io.timberdb.storage.index.Tokenizer;
import io.timberdb.storage.manifest.BlockRef;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
     * Feeds the entries of every page that may match {@code filter} to {@code scan}; pruned pages
     * are not read, and none is for a scan that only explains. The scan counts the block's pages
     * and how many passed.
     */
    void scan(QueryFilter filter, ShardScan scan) throws IOException {
        List<Integer> candidates = overlaps(filter) ? reader.candidatePages(filter) : List.of();
        candidates = withTokens(candidates, scan.requiredTerms());
        scan.block(reader.pageCount(), candidates.size());
        if (scan.explain()) {
            return;
        }
        for (int page : candidates) {
            reader.readPage(page).forEach(scan::accept);
        }
    }

    /**
     * The candidates whose token filter may hold every required term of the block's token
     * lengths (shorter or longer terms are not in filters, so they cannot rule a page out).
     */
    private List<Integer> withTokens(List<Integer> candidates, Set<String> terms) throws IOException {
        Tokenizer tokenizer = reader.header().tokenizer();
        List<String> tokens = new ArrayList<>();
        for (String term : terms) {
            int length = term.codePointCount(0, term.length());
            if (length >= tokenizer.minWordLength() && length <= tokenizer.maxWordLength()) {
                tokens.add(term);
            }
        }
        if (tokens.isEmpty()) {
            return candidates;
        }
        List<Integer> kept = new ArrayList<>(candidates.size());
        for (int page : candidates) {
            boolean mayMatch = true;
            for (int i = 0; i < tokens.size() && mayMatch; i++) {
                mayMatch = reader.mayContainToken(page, tokens.get(i));
            }
            if (mayMatch) {
                kept.add(page);
            }
        }
        return kept;
    }

    void close() {
        try {
            reader.close();
        } catch (IOException e) {
            // nothing to flush: the reader only reads
        }
    }
}
