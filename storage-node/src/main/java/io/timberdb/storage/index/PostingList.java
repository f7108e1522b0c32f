package io.timberdb.storage.index;

import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import java.util.Arrays;

/**
 * A sorted set of page numbers: the pages of a block in which a source or a tag pair occurs.
 *
 * <p>Encoded as a varint count {@code n}, then {@code n} varints: the first page, then each
 * page's gap to the previous one (always {@code >= 1}). Dense lists take about one byte a page.
 *
 * <p>Immutable; thread-safe.
 */
public final class PostingList {

    public static final PostingList EMPTY = new PostingList(new int[0]);

    private final int[] pages;

    private PostingList(int[] pages) {
        this.pages = pages;
    }

    /** The list of the given pages, sorted and without repeats. */
    public static PostingList of(int... pages) {
        int[] sorted = Arrays.stream(pages).sorted().distinct().toArray();
        if (sorted.length > 0 && sorted[0] < 0) {
            throw new IllegalArgumentException("negative page " + sorted[0]);
        }
        return sorted.length == 0 ? EMPTY : new PostingList(sorted);
    }

    /** Wraps an array already sorted ascending without repeats; the caller gives it up. */
    static PostingList ofSorted(int[] pages) {
        return pages.length == 0 ? EMPTY : new PostingList(pages);
    }

    public int size() {
        return pages.length;
    }

    public boolean isEmpty() {
        return pages.length == 0;
    }

    /** The {@code i}-th page, ascending. */
    public int get(int i) {
        return pages[i];
    }

    public boolean contains(int page) {
        return indexOf(page) >= 0;
    }

    /** Where {@code page} is in the list, {@code 0..size-1}; negative when it is not in it. */
    public int indexOf(int page) {
        return Arrays.binarySearch(pages, page);
    }

    /** A copy of the pages, ascending. */
    public int[] toArray() {
        return pages.clone();
    }

    /** The pages in both lists. */
    public PostingList intersect(PostingList other) {
        int[] result = new int[Math.min(pages.length, other.pages.length)];
        int n = 0;
        for (int i = 0, j = 0; i < pages.length && j < other.pages.length; ) {
            if (pages[i] < other.pages[j]) {
                i++;
            } else if (pages[i] > other.pages[j]) {
                j++;
            } else {
                result[n++] = pages[i];
                i++;
                j++;
            }
        }
        return ofSorted(Arrays.copyOf(result, n));
    }

    public void writeTo(ByteSink sink) {
        sink.varint(pages.length);
        int previous = 0;
        for (int i = 0; i < pages.length; i++) {
            sink.varint(i == 0 ? pages[0] : pages[i] - previous);
            previous = pages[i];
        }
    }

    /**
     * Reads a list written by {@link #writeTo} whose pages must be below {@code pageCount}.
     *
     * @throws CodecException when the bytes are malformed, unsorted or out of range
     */
    public static PostingList read(ByteSource source, int pageCount) {
        int n = source.varint(Math.min(pageCount, source.remaining()), "posting list length");
        int[] pages = new int[n];
        long previous = -1;
        for (int i = 0; i < n; i++) {
            long gap = Integer.toUnsignedLong(source.varint());
            long page = i == 0 ? gap : previous + gap;
            if ((i > 0 && gap == 0) || page >= pageCount) {
                throw new CodecException("posting list page " + page + " is out of order or beyond " + pageCount + " pages");
            }
            pages[i] = (int) page;
            previous = page;
        }
        return ofSorted(pages);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PostingList that && Arrays.equals(pages, that.pages);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pages);
    }

    @Override
    public String toString() {
        return Arrays.toString(pages);
    }
}
