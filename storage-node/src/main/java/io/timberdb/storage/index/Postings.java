package io.timberdb.storage.index;

import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * An inverted index from keys to the pages holding them: a block's source postings (key = the
 * source's dictionary id) and tag postings (key = {@link #pairKey} of a tag key id and a value id).
 *
 * <h2>Encoding</h2>
 * <pre>
 *  varint   number of keys
 *  per key, ascending:
 *    varlong  the key's gap to the previous key (the first key itself)
 *    ...      its {@link PostingList}
 * </pre>
 *
 * <p>Immutable; thread-safe. Build one with {@link Builder} (not thread-safe).
 */
public final class Postings {

    public static final Postings EMPTY = new Postings(new long[0], new PostingList[0]);

    private final long[] keys;
    private final PostingList[] lists;

    private Postings(long[] keys, PostingList[] lists) {
        this.keys = keys;
        this.lists = lists;
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
            bytes += 24L + list.size() * 4L;
        }
        return bytes;
    }

    public void writeTo(ByteSink sink) {
        sink.varint(keys.length);
        long previous = 0;
        for (int i = 0; i < keys.length; i++) {
            sink.varlong(keys[i] - previous);
            previous = keys[i];
            lists[i].writeTo(sink);
        }
    }

    /**
     * Reads postings written by {@link #writeTo}; every page must be below {@code pageCount}.
     *
     * @throws CodecException when the bytes are malformed or keys are not ascending
     */
    public static Postings read(ByteSource source, int pageCount) {
        int n = source.varint(source.remaining(), "postings key count");
        long[] keys = new long[n];
        PostingList[] lists = new PostingList[n];
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long gap = source.varlong();
            if (i > 0 && (gap == 0 || previous + gap < previous)) {
                throw new CodecException("postings keys are not ascending at key " + i);
            }
            keys[i] = previous + gap;
            previous = keys[i];
            lists[i] = PostingList.read(source, pageCount);
        }
        return new Postings(keys, lists);
    }

    /** Collects (key, page) occurrences. Not thread-safe. */
    public static final class Builder {

        private final TreeMap<Long, GrowingPages> pages = new TreeMap<>();

        /** Records that {@code key} occurs in {@code page}; pages must be added in ascending order. */
        public Builder add(long key, int page) {
            pages.computeIfAbsent(key, k -> new GrowingPages()).add(page);
            return this;
        }

        public Postings build() {
            long[] keys = new long[pages.size()];
            PostingList[] lists = new PostingList[pages.size()];
            int i = 0;
            for (Map.Entry<Long, GrowingPages> entry : pages.entrySet()) {
                keys[i] = entry.getKey();
                lists[i] = PostingList.ofSorted(entry.getValue().toArray());
                i++;
            }
            return new Postings(keys, lists);
        }
    }

    /** An ascending list of distinct pages that grows as pages are added. */
    private static final class GrowingPages {
        private int[] values = new int[4];
        private int size;

        void add(int page) {
            if (size > 0 && values[size - 1] >= page) {
                if (values[size - 1] == page) {
                    return;
                }
                throw new IllegalArgumentException("pages must be added in ascending order: " + page + " after " + values[size - 1]);
            }
            if (page < 0) {
                throw new IllegalArgumentException("negative page " + page);
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = page;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
