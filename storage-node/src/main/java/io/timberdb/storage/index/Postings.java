package io.timberdb.storage.index;

import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import java.util.Arrays;
import java.util.HashMap;

/**
 * An inverted index from keys to the pages holding them: a block's source postings (key = the
 * source's dictionary id) and tag postings (key = {@link #pairKey} of a tag key id and a value id),
 * and, from block format 5 on, how many of each page's entries have the key.
 *
 * <h2>Encoding</h2>
 * <pre>
 *  varint   number of keys
 *  per key, ascending:
 *    varlong  the key's gap to the previous key (the first key itself)
 *    ...      its {@link PostingList}: varint n, then n varint page gaps
 *    n varints, with counts only ({@link #writeTo(ByteSink, int[])}): for each page of the list, in
 *             order, how many of the page's {@code entries} have the key, {@code count}, from
 *             the nearer end: {@code 2 * count - 1} when {@code count <= entries - count}, else
 *             {@code 2 * (entries - count)}
 * </pre>
 * A count is then one byte when fewer than 64 of a page's entries have the key, or all but fewer
 * than 64: a page whose entries all have the key (most pages of a source) stores 0. Only that
 * form of a count is valid, {@code 1 <= count <= entries}.
 *
 * <p>Immutable; thread-safe. Build one with {@link Builder} (not thread-safe).
 */
public final class Postings {

    /** No keys, with (no) counts. */
    public static final Postings EMPTY = new Postings(new long[0], new PostingList[0], new int[0][]);

    private final long[] keys;
    private final PostingList[] lists;
    /** Per key, each of its pages' number of entries with it, aligned with its list; null when read without counts. */
    private final int[][] counts;

    private Postings(long[] keys, PostingList[] lists, int[][] counts) {
        this.keys = keys;
        this.lists = lists;
        this.counts = counts;
    }

    /** The key of a (tag key id, tag value id) pair: {@code keyId * 2^32 + valueId}. */
    public static long pairKey(int keyId, int valueId) {
        return (long) keyId << 32 | Integer.toUnsignedLong(valueId);
    }

    /** The pages holding {@code key}; empty when none does. */
    public PostingList get(long key) {
        int i = Arrays.binarySearch(keys, key);
        return i >= 0 ? lists[i] : PostingList.EMPTY;
    }

    /** Whether these postings know how many of a page's entries have a key: built, or read with counts. */
    public boolean hasCounts() {
        return counts != null;
    }

    /**
     * For each page of {@link #get}{@code (key)}, in the same order, how many of its entries have
     * {@code key} (a copy; each count {@code >= 1}); empty when no page holds the key, null when
     * these postings have no counts ({@link #hasCounts()}).
     */
    public int[] counts(long key) {
        if (counts == null) {
            return null;
        }
        int i = Arrays.binarySearch(keys, key);
        return i >= 0 ? counts[i].clone() : new int[0];
    }

    /** The keys in {@code [from, to)}, ascending: e.g. one tag key's pairs, {@code pairKey(k, 0)..pairKey(k + 1, 0)}. */
    public long[] keys(long from, long to) {
        return Arrays.copyOfRange(keys, insertionPoint(from), Math.max(insertionPoint(from), insertionPoint(to)));
    }

    private int insertionPoint(long key) {
        int i = Arrays.binarySearch(keys, key);
        return i >= 0 ? i : -i - 1;
    }

    /** Number of keys. */
    public int size() {
        return keys.length;
    }

    /** The keys, ascending (a copy). */
    public long[] keys() {
        return keys.clone();
    }

    /** An estimate of the heap bytes held, for cache weighing. */
    public long estimatedBytes() {
        long bytes = 32L + keys.length * 8L;
        for (PostingList list : lists) {
            bytes += 24L + list.size() * (counts == null ? 4L : 8L);
        }
        return bytes;
    }

    /** Writes the keys and pages without counts (the layout of block formats 1 to 4). */
    public void writeTo(ByteSink sink) {
        write(sink, null);
    }

    /**
     * Writes the keys, pages and counts; page {@code p} holds {@code pageEntries[p]} entries.
     *
     * @throws IllegalStateException when these postings have no counts, or a count exceeds its page's entries
     */
    public void writeTo(ByteSink sink, int[] pageEntries) {
        if (counts == null) {
            throw new IllegalStateException("postings read without counts cannot be written with counts");
        }
        write(sink, pageEntries);
    }

    private void write(ByteSink sink, int[] pageEntries) {
        sink.varint(keys.length);
        long previous = 0;
        for (int i = 0; i < keys.length; i++) {
            sink.varlong(keys[i] - previous);
            previous = keys[i];
            lists[i].writeTo(sink);
            for (int j = 0; pageEntries != null && j < lists[i].size(); j++) {
                int entries = pageEntries[lists[i].get(j)];
                int count = counts[i][j];
                if (count > entries) {
                    throw new IllegalStateException("key " + keys[i] + " counts " + count + " entries in page "
                            + lists[i].get(j) + " of " + entries);
                }
                // both fit an int: the side stored is at most half of the entries
                sink.varint(count <= entries - count ? 2 * count - 1 : 2 * (entries - count));
            }
        }
    }

    /**
     * Reads postings written by {@link #writeTo(ByteSink)}; every page must be below {@code pageCount}.
     *
     * @throws CodecException when the bytes are malformed or keys are not ascending
     */
    public static Postings read(ByteSource source, int pageCount) {
        return read(source, pageCount, null);
    }

    /**
     * Reads postings written by {@link #writeTo(ByteSink, int[])}; page {@code p} holds
     * {@code pageEntries[p]} entries, and every page must be below {@code pageEntries.length}.
     *
     * @throws CodecException when the bytes are malformed, keys are not ascending, or a count is 0,
     *     above its page's entries or stored from the farther end of its page
     */
    public static Postings readWithCounts(ByteSource source, int[] pageEntries) {
        return read(source, pageEntries.length, pageEntries);
    }

    private static Postings read(ByteSource source, int pageCount, int[] pageEntries) {
        int n = source.varint(source.remaining(), "postings key count");
        long[] keys = new long[n];
        PostingList[] lists = new PostingList[n];
        int[][] counts = pageEntries == null ? null : new int[n][];
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long gap = source.varlong();
            if (i > 0 && (gap == 0 || previous + gap < previous)) {
                throw new CodecException("postings keys are not ascending at key " + i);
            }
            keys[i] = previous + gap;
            previous = keys[i];
            lists[i] = PostingList.read(source, pageCount);
            if (counts != null) {
                counts[i] = readCounts(source, keys[i], lists[i], pageEntries);
            }
        }
        return new Postings(keys, lists, counts);
    }

    private static int[] readCounts(ByteSource source, long key, PostingList list, int[] pageEntries) {
        int[] counts = new int[list.size()];
        for (int j = 0; j < counts.length; j++) {
            int at = source.position();
            long entries = pageEntries[list.get(j)];
            long stored = Integer.toUnsignedLong(source.varint());
            long count = (stored & 1) == 1 ? (stored + 1) / 2 : entries - stored / 2;
            if (count < 1 || count > entries) {
                throw new CodecException("count of key " + key + " in page " + list.get(j) + " at byte " + at + " is "
                        + count + ", not 1.." + entries + " (the page's entries)");
            }
            if ((stored & 1) == 1 ? count > entries - count : count <= entries - count) {
                throw new CodecException("count of key " + key + " in page " + list.get(j) + " at byte " + at + " is "
                        + count + " of " + entries + " stored from the farther end");
            }
            counts[j] = (int) count;
        }
        return counts;
    }

    /** Collects (key, page, entries) occurrences. Not thread-safe. */
    public static final class Builder {

        /** By key; hashed, not sorted, while pages are added (a block adds a pair per tag of every tag set of every page), sorted once by {@link #build}. */
        private final HashMap<Long, GrowingPages> pages = new HashMap<>();

        /** Records that one entry of {@code page} has {@code key}; pages must be added in ascending order. */
        public Builder add(long key, int page) {
            return add(key, page, 1);
        }

        /**
         * Records that {@code entries} entries of {@code page} have {@code key}, adding to what the
         * page already has; pages must be added in ascending order.
         */
        public Builder add(long key, int page, int entries) {
            pages.computeIfAbsent(key, k -> new GrowingPages()).add(page, entries);
            return this;
        }

        public Postings build() {
            long[] keys = new long[pages.size()];
            int k = 0;
            for (long key : pages.keySet()) {
                keys[k++] = key;
            }
            Arrays.sort(keys);
            PostingList[] lists = new PostingList[keys.length];
            int[][] counts = new int[keys.length][];
            for (int i = 0; i < keys.length; i++) {
                GrowingPages added = pages.get(keys[i]);
                lists[i] = PostingList.ofSorted(Arrays.copyOf(added.pages, added.size));
                counts[i] = Arrays.copyOf(added.counts, added.size);
            }
            return new Postings(keys, lists, counts);
        }
    }

    /** An ascending list of distinct pages, each with its entry count, that grows as pages are added. */
    private static final class GrowingPages {
        private int[] pages = new int[4];
        private int[] counts = new int[4];
        private int size;

        void add(int page, int entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("page " + page + " needs at least one entry, not " + entries);
            }
            if (size > 0 && pages[size - 1] >= page) {
                if (pages[size - 1] == page) {
                    counts[size - 1] = Math.addExact(counts[size - 1], entries);
                    return;
                }
                throw new IllegalArgumentException("pages must be added in ascending order: " + page + " after " + pages[size - 1]);
            }
            if (page < 0) {
                throw new IllegalArgumentException("negative page " + page);
            }
            if (size == pages.length) {
                pages = Arrays.copyOf(pages, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            pages[size] = page;
            counts[size++] = entries;
        }
    }
}
