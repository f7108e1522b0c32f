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
 * @param pagesPrunedBy how many of {@code pagesPruned} each index ruled out; null from a node of
 *        the previous version
 */
public record ShardPlan(long blocks, @JsonProperty("blocks_pruned") long blocksPruned, long pages,
                        @JsonProperty("pages_pruned") long pagesPruned, @JsonProperty("pages_scanned") long pagesScanned,
                        @JsonProperty("active_entries") long activeEntries,
                        @JsonProperty("implied_filter") String impliedFilter,
                        @JsonProperty("pages_pruned_by") PrunedBy pagesPrunedBy) {

    /** The plan of a shard this node has never held. */
    public static final ShardPlan EMPTY = new ShardPlan(0, 0, 0, 0, 0, 0, null, PrunedBy.NONE);

    /**
     * Pages ruled out, by the index that ruled them out first (in this order: time — the block's
     * span or the page's range —, source and tag postings, token filters).
     *
     * @param time pages outside the query's time range
     * @param postings pages without the source or a tag value the query requires
     * @param tokenFilters pages whose token filter lacks a word every match contains
     */
    public record PrunedBy(long time, long postings, @JsonProperty("token_filters") long tokenFilters) {

        public static final PrunedBy NONE = new PrunedBy(0, 0, 0);

        PrunedBy plus(PrunedBy other) {
            return other == null ? this : new PrunedBy(time + other.time, postings + other.postings,
                    tokenFilters + other.tokenFilters);
        }
    }

    /** A plan without the breakdown by index (a node of the previous version sent none). */
    public ShardPlan(long blocks, long blocksPruned, long pages, long pagesPruned, long pagesScanned, long activeEntries,
                     String impliedFilter) {
        this(blocks, blocksPruned, pages, pagesPruned, pagesScanned, activeEntries, impliedFilter, null);
    }

    /** This plan and {@code other} added up; the implied filter is this one's (every shard derives the same). */
    public ShardPlan plus(ShardPlan other) {
        PrunedBy by = pagesPrunedBy == null ? other.pagesPrunedBy
                : other.pagesPrunedBy == null ? pagesPrunedBy : pagesPrunedBy.plus(other.pagesPrunedBy);
        return new ShardPlan(blocks + other.blocks, blocksPruned + other.blocksPruned, pages + other.pages,
                pagesPruned + other.pagesPruned, pagesScanned + other.pagesScanned, activeEntries + other.activeEntries,
                impliedFilter != null ? impliedFilter : other.impliedFilter, by);
    }
}
