package io.timberdb.storage.shard;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.query.Field;
import io.timberdb.model.query.PartialAggregates;
import io.timberdb.storage.block.PageColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts the matches of a scan by the labels its groups read — the source and the tags named by
 * the query's group keys and aggregates ({@link PartialAggregates#labelsRead()}) — and their time
 * bin, for an aggregating query whose groups read nothing else
 * ({@link PartialAggregates#readsOnlyLabels()}); each distinct combination is added to the groups
 * once, with its count, when the scan ends: one group lookup per combination, not per entry.
 *
 * <p>Sources and the read tags' values are numbered per scan, by content: a page's dictionary ids
 * (its block's source ids, its own tag set indexes) are translated once per page and source run,
 * so an entry costs two array reads and one probe of an open-addressing table keyed by (source
 * number, tag values number) and the bin. Each combination keeps the labels and time of its first
 * entry, which stand for all of them.
 *
 * <p>Not thread-safe: one per scan.
 */
final class LabelCounts {

    /** The width of the query's one time bin in milliseconds, or 0 when it groups by no bin. */
    private final long binMillis;
    /** Whether the groups read the source; if not, every source is number 0. */
    private final boolean readsSource;
    /** The tag keys the groups read. */
    private final List<String> tagKeys;
    private final Map<String, Integer> sources = new HashMap<>();
    private final Map<List<String>, Integer> tagValues = new HashMap<>();
    /** The page's tag set indexes translated to scan numbers, −1 until seen. */
    private int[] pageTagSets = new int[16];
    private int lastSourceId = -1;
    private int lastSource;
    /** Open addressing: label keys (−1 empty) and bins, their counts and the entry standing for them. */
    private long[] labels = new long[64];
    private long[] bins = new long[64];
    private long[] counts = new long[64];
    private LogEntry[] representatives = new LogEntry[64];
    private int size;

    private LabelCounts(long binMillis, Set<Field> read) {
        this.binMillis = binMillis;
        this.readsSource = read.contains(Field.SOURCE);
        this.tagKeys = read.stream().filter(f -> f.kind() == Field.Kind.TAG).map(Field::tagKey).distinct().toList();
        Arrays.fill(labels, -1);
    }

    /** A counter for {@code groups}, or null when its groups read more than labels or use several bins. */
    static LabelCounts forGroups(PartialAggregates groups) {
        long[] widths = groups.binWidthsMillis();
        if (!groups.readsOnlyLabels() || widths.length > 1) {
            return null;
        }
        return new LabelCounts(widths.length == 0 ? 0 : widths[0], groups.labelsRead());
    }

    /** Starts a page: its dictionary ids mean other things than the last page's. */
    void start(PageColumns page) {
        int sets = page.tagSetCount();
        if (pageTagSets.length < sets) {
            pageTagSets = new int[Math.max(sets, 2 * pageTagSets.length)];
        }
        Arrays.fill(pageTagSets, 0, sets, -1);
        lastSourceId = -1;
    }

    /** Counts the match at {@code row}, a row of the page last {@linkplain #start started}. */
    void add(PageColumns.Row row) {
        int sourceId = readsSource ? row.sourceId() : 0;
        if (readsSource && sourceId != lastSourceId) { // sources come in runs
            lastSource = sources.computeIfAbsent(row.source(), s -> sources.size());
            lastSourceId = sourceId;
        }
        int tagSet = row.tagSet();
        int tags = pageTagSets[tagSet];
        if (tags < 0) {
            List<String> values = new ArrayList<>(tagKeys.size());
            for (String key : tagKeys) {
                values.add(row.tags().get(key));
            }
            tags = tagValues.computeIfAbsent(values, v -> tagValues.size());
            pageTagSets[tagSet] = tags;
        }
        long label = (long) lastSource << 32 | tags;
        long bin = binMillis == 0 ? 0 : Math.floorDiv(row.epochMilli(), binMillis);
        int mask = labels.length - 1;
        int slot = (int) mix(label * 31 + bin) & mask;
        while (labels[slot] != -1) {
            if (labels[slot] == label && bins[slot] == bin) {
                counts[slot]++;
                return;
            }
            slot = (slot + 1) & mask;
        }
        labels[slot] = label;
        bins[slot] = bin;
        counts[slot] = 1;
        representatives[slot] = new LogEntry("", row.timestamp(), row.source(), row.tags(), "");
        if (++size * 2 > labels.length) {
            grow(); // moves the slots: nothing may use slot after this
        }
    }

    /** Adds every combination counted so far to {@code groups}, and forgets them. */
    void flush(PartialAggregates groups) {
        for (int slot = 0; slot < labels.length; slot++) {
            if (labels[slot] != -1) {
                groups.add(representatives[slot], counts[slot]);
                labels[slot] = -1;
                representatives[slot] = null;
            }
        }
        size = 0;
    }

    private void grow() {
        long[] oldLabels = labels;
        long[] oldBins = bins;
        long[] oldCounts = counts;
        LogEntry[] oldRepresentatives = representatives;
        labels = new long[oldLabels.length * 2];
        bins = new long[labels.length];
        counts = new long[labels.length];
        representatives = new LogEntry[labels.length];
        Arrays.fill(labels, -1);
        int mask = labels.length - 1;
        for (int i = 0; i < oldLabels.length; i++) {
            if (oldLabels[i] != -1) {
                int slot = (int) mix(oldLabels[i] * 31 + oldBins[i]) & mask;
                while (labels[slot] != -1) {
                    slot = (slot + 1) & mask;
                }
                labels[slot] = oldLabels[i];
                bins[slot] = oldBins[i];
                counts[slot] = oldCounts[i];
                representatives[slot] = oldRepresentatives[i];
            }
        }
    }

    /** Murmur3's 64-bit finalizer: every key bit reaches the low bits the table is indexed by. */
    private static long mix(long key) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
