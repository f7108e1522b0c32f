package io.timberdb.storage.block;

import io.timberdb.storage.index.PostingList;
import io.timberdb.storage.index.Postings;
import java.util.Arrays;

/**
 * The pages of a block that hold a source or a tag pair, each with how many of its entries have
 * it: read from the postings of a block of format 5 on ({@link BlockReader#hasPostingCounts()}),
 * so that counts of entries by source or tag value over whole pages need no page read.
 *
 * <p>Immutable; thread-safe.
 */
public final class PageCounts {

    /** No pages. */
    public static final PageCounts EMPTY = new PageCounts(PostingList.EMPTY, new int[0]);

    private final PostingList pages;
    private final int[] counts;

    /** {@code counts[i]} entries of page {@code pages.get(i)}; takes {@code counts} over. */
    private PageCounts(PostingList pages, int[] counts) {
        this.pages = pages;
        this.counts = counts;
    }

    /** The pages of {@code key} in {@code postings}, which must have counts. */
    static PageCounts of(Postings postings, long key) {
        PostingList pages = postings.get(key);
        return pages.isEmpty() ? EMPTY : new PageCounts(pages, postings.counts(key));
    }

    /** The pages, ascending. */
    public PostingList pages() {
        return pages;
    }

    /** Number of pages. */
    public int size() {
        return counts.length;
    }

    /** The {@code i}-th page, ascending. */
    public int page(int i) {
        return pages.get(i);
    }

    /** How many entries of the {@code i}-th page have the source or pair, {@code >= 1}. */
    public int count(int i) {
        return counts[i];
    }

    /** How many entries of page {@code page} have the source or pair; 0 when the page is not listed. */
    public int countIn(int page) {
        int i = pages.indexOf(page);
        return i >= 0 ? counts[i] : 0;
    }

    /** The entries of all pages that have the source or pair. */
    public long total() {
        long total = 0;
        for (int count : counts) {
            total += count;
        }
        return total;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PageCounts that && pages.equals(that.pages) && Arrays.equals(counts, that.counts);
    }

    @Override
    public int hashCode() {
        return 31 * pages.hashCode() + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < counts.length; i++) {
            text.append(i == 0 ? "" : ", ").append(pages.get(i)).append('=').append(counts[i]);
        }
        return text.append('}').toString();
    }
}
