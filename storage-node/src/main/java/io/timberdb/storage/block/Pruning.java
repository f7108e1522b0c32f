package io.timberdb.storage.block;

import java.util.List;

/**
 * What the indexes of one block left of it for a query ({@link BlockReader#prune}): the candidate
 * pages, and how many pages each index ruled out. A page is counted against the first test, in
 * the pruner's order, that rules it out: the block's time span, then source and tag postings,
 * then each page's time range, then its token filter.
 *
 * @param candidates the pages that may hold matches, ascending
 * @param byTime pages ruled out by the block's time span or their own time range
 * @param byPostings pages ruled out by source and tag postings (a value the block lacks rules out all)
 * @param byTokens pages ruled out by their token filters
 */
public record Pruning(List<Integer> candidates, int byTime, int byPostings, int byTokens) {

    /** Every one of a block's {@code pages} pages ruled out by its time span. */
    static Pruning outOfTime(int pages) {
        return new Pruning(List.of(), pages, 0, 0);
    }
}
