package io.timberdb.model.shard;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a shard read (or, for {@code EXPLAIN}, would read) a query: what its indexes pruned.
 *
 * @param blocks sealed blocks of the shard
 * @param blocksPruned blocks skipped whole: their time span misses the query's, or no page passed
 * @param pages pages of all the blocks
 * @param pagesPruned pages skipped by time, source and tag postings or token filters
 * @param pagesScanned pages decoded and tested entry by entry ({@code pages - pagesPruned})
 * @param activeEntries entries of the active (unsealed) block, tested without page indexes
 * @param impliedFilter what the indexes pruned with, in words: the conditions the WHERE condition
 *        implies (time range, source, tags, message substring, MATCHES tokens), or "nothing"
 */
public record ShardPlan(long blocks, @JsonProperty("blocks_pruned") long blocksPruned, long pages,
                        @JsonProperty("pages_pruned") long pagesPruned, @JsonProperty("pages_scanned") long pagesScanned,
                        @JsonProperty("active_entries") long activeEntries,
                        @JsonProperty("implied_filter") String impliedFilter) {

    /** The plan of a shard this node has never held. */
    public static final ShardPlan EMPTY = new ShardPlan(0, 0, 0, 0, 0, 0, null);

    /** This plan and {@code other} added up; the implied filter is this one's (every shard derives the same). */
    public ShardPlan plus(ShardPlan other) {
        return new ShardPlan(blocks + other.blocks, blocksPruned + other.blocksPruned, pages + other.pages,
                pagesPruned + other.pagesPruned, pagesScanned + other.pagesScanned, activeEntries + other.activeEntries,
                impliedFilter != null ? impliedFilter : other.impliedFilter);
    }
}
