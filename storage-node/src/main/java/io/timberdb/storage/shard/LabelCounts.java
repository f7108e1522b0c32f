package io.timberdb.storage.shard;

import io.timberdb.model.query.PartialAggregates;
import io.timberdb.storage.block.PageColumns;
import java.util.Arrays;

/**
 * Counts the matches of one page by their labels — source, tag set and time bin — for an
 * aggregating query whose groups read nothing else ({@link PartialAggregates#readsOnlyLabels()}),
 * then adds each distinct label combination to the groups once, with its count: one group lookup
 * per combination instead of one per entry.
 *
 * <p>A combination is packed in a long: {@value #SOURCE_BITS} bits of source id (the block's
 * dictionary id), {@value #TAG_SET_BITS} bits of tag set (its index among the page's sets) and
 * the rest for the bin (its distance from the page's first bin). A page whose ids or bins do not
 * fit is scanned entry by entry instead.
 *
 * <p>Not thread-safe: one per scan.
 */
final class LabelCounts {

    private static final int SOURCE_BITS = 20;
    private static final int TAG_SET_BITS = 20;
    private static final int BIN_SHIFT = SOURCE_BITS + TAG_SET_BITS;
    private static final long MAX_BINS = 1L << (Long.SIZE - 1 - BIN_SHIFT);

    /** The width of the query's one time bin in milliseconds, or 0 when it groups by no bin. */
    private final long binMillis;
    private long firstBin;
    /** Open addressing: keys (−1 empty), their counts and the first entry that has them. */
    private long[] keys = new long[64];
    private long[] counts = new long[64];
    private int[] firstEntries = new int[64];
    private int size;

    private LabelCounts(long binMillis) {
        this.binMillis = binMillis;
        Arrays.fill(keys, -1);
    }

    /** A counter for {@code groups}, or null when its groups read more than labels or use several bins. */
    static LabelCounts forGroups(PartialAggregates groups) {
        long[] bins = groups.binWidthsMillis();
        if (!groups.readsOnlyLabels() || bins.length > 1) {
            return null;
        }
        return new LabelCounts(bins.length == 0 ? 0 : bins[0]);
    }

    /** Starts a page; false when its entries cannot be packed (then scan it entry by entry). */
    boolean start(PageColumns page) {
        if (page.sourceCount() >>> SOURCE_BITS != 0 || page.size() >>> TAG_SET_BITS != 0) {
            return false; // tag sets are fewer than entries
        }
        if (binMillis == 0) {
            return true;
        }
        firstBin = Math.floorDiv(page.minTimestamp().toEpochMilli(), binMillis);
        long lastBin = Math.floorDiv(page.maxTimestamp().toEpochMilli(), binMillis);
        return lastBin - firstBin < MAX_BINS;
    }

    /** Counts the match at {@code row}; the rows of a page come in order, each once. */
    void add(PageColumns.Row row) {
        int at = row.index();
        long key = (long) row.tagSet() << SOURCE_BITS | row.sourceId();
        if (binMillis != 0) {
            key |= (Math.floorDiv(row.epochMilli(), binMillis) - firstBin) << BIN_SHIFT;
        }
        int mask = keys.length - 1;
        int slot = (int) mix(key) & mask;
        while (keys[slot] != -1 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        if (keys[slot] != -1) {
            counts[slot]++;
            return;
        }
        keys[slot] = key;
        counts[slot] = 1;
        firstEntries[slot] = at;
        if (++size * 2 > keys.length) {
            grow(); // moves the slots: nothing may use slot after this
        }
    }

    /** Adds every combination counted since {@link #start} to {@code groups} and returns how many matches they were. */
    long flush(PageColumns.Row row, PartialAggregates groups) {
        long total = 0;
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != -1) {
                groups.add(row.at(firstEntries[slot]), counts[slot]);
                total += counts[slot];
                keys[slot] = -1;
                counts[slot] = 0;
            }
        }
        size = 0;
        return total;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldCounts = counts;
        int[] oldFirst = firstEntries;
        keys = new long[oldKeys.length * 2];
        counts = new long[keys.length];
        firstEntries = new int[keys.length];
        Arrays.fill(keys, -1);
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != -1) {
                int slot = (int) mix(oldKeys[i]) & mask;
                while (keys[slot] != -1) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                counts[slot] = oldCounts[i];
                firstEntries[slot] = oldFirst[i];
            }
        }
    }

    private static long mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }
}
