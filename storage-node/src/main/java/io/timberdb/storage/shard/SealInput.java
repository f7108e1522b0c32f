package io.timberdb.storage.shard;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.block.BlockEntries;
import io.timberdb.storage.block.SealedEntries;
import io.timberdb.storage.wal.EncodedEntries;
import io.timberdb.storage.wal.EntryDecoder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entries of an active block, still in their WAL batches, as a block about to be sealed holds
 * them ({@link BlockEntries}): in block order, decoded a page at a time.
 *
 * <p>Building it reads each entry's sort and index fields (source, tags, timestamp, message size)
 * without making its id or message strings, and sorts the entries' positions, not the entries:
 * stably by source, then timestamp (primitive keys), then id (decoded only for entries of one
 * source with equal timestamps) — {@link SealedEntries#BLOCK_ORDER} exactly, so a block sealed from
 * the batches is byte for byte the block {@link io.timberdb.storage.block.BlockWriter} writes from
 * the decoded list. Entries arrive mostly in time order per source, and the merge sort skips the
 * merge of runs already in order, so the sort is close to linear on them.
 *
 * <p>Strings decoded from the WAL are well-formed (the WAL's UTF-8 came from Java strings), so
 * the only stored-form work left is putting each distinct tag map in key order, once per map.
 *
 * <p>Not thread-safe: one seal uses it.
 */
final class SealInput implements BlockEntries {

    private final EncodedEntries[] batches;
    private final EntryDecoder decoder = new EntryDecoder();
    /** Per entry, in arrival order: where it is, and its keys. */
    private final int[] batchOf;
    private final int[] indexOf;
    private final long[] seconds;
    private final int[] nanos;
    private final int[] messageBytes;
    private final String[] sourceOf;
    private final Map<?, ?>[] tagsOf;
    /** Arrival positions in block order. */
    private final int[] order;
    private final Set<String> sources = new HashSet<>();
    private final Set<String> tagKeys = new HashSet<>();
    private final Set<String> tagValues = new HashSet<>();
    private final Summary summary;

    /** A range of one batch: its entries {@code [from, to)}. */
    record Range(EncodedEntries batch, int from, int to) {
    }

    /**
     * @param ranges the entries to seal, in arrival order; at least one entry in all
     */
    SealInput(List<Range> ranges) {
        int n = 0;
        for (Range range : ranges) {
            n += range.to() - range.from();
        }
        if (n == 0) {
            throw new IllegalArgumentException("a block needs at least one entry");
        }
        batches = new EncodedEntries[ranges.size()];
        batchOf = new int[n];
        indexOf = new int[n];
        seconds = new long[n];
        nanos = new int[n];
        messageBytes = new int[n];
        sourceOf = new String[n];
        tagsOf = new Map<?, ?>[n];
        Map<Map<String, String>, Map<String, String>> storedTags = new IdentityHashMap<>();
        int k = 0;
        int minAt = 0;
        int maxAt = 0;
        for (int r = 0; r < ranges.size(); r++) {
            Range range = ranges.get(r);
            batches[r] = range.batch();
            for (int i = range.from(); i < range.to(); i++, k++) {
                decoder.readHeader(range.batch(), i);
                batchOf[k] = r;
                indexOf[k] = i;
                seconds[k] = decoder.lastSeconds();
                nanos[k] = decoder.lastNanos();
                messageBytes[k] = decoder.lastMessageBytes();
                sourceOf[k] = decoder.lastSource();
                tagsOf[k] = storedTags.computeIfAbsent(decoder.lastTags(), this::stored);
                minAt = compareTime(k, minAt) < 0 ? k : minAt;
                maxAt = compareTime(k, maxAt) > 0 ? k : maxAt;
            }
        }
        order = sortedOrder(n);
        summary = new Summary(Instant.ofEpochSecond(seconds[minAt], nanos[minAt]),
                Instant.ofEpochSecond(seconds[maxAt], nanos[maxAt]), sources, tagKeys, tagValues);
    }

    /** The stored form of a tag map seen for the first time, whose keys and values join the block's. */
    private Map<String, String> stored(Map<String, String> tags) {
        Map<String, String> stored = SealedEntries.storedForm(tags);
        tagKeys.addAll(stored.keySet());
        tagValues.addAll(stored.values());
        return stored;
    }

    /** Positions sorted by source (a stable counting sort on source ranks), then each source's by time and id. */
    private int[] sortedOrder(int n) {
        Map<String, Integer> rankOf = new HashMap<>();
        for (String source : sourceOf) {
            rankOf.putIfAbsent(source, 0);
        }
        String[] distinct = rankOf.keySet().toArray(String[]::new);
        Arrays.sort(distinct);
        for (int r = 0; r < distinct.length; r++) {
            rankOf.put(distinct[r], r);
            sources.add(distinct[r]);
        }
        int[] rank = new int[n];
        int[] starts = new int[distinct.length + 1];
        String last = null;
        int lastRank = 0;
        for (int k = 0; k < n; k++) {
            if (sourceOf[k] != last) { // runs of one instance skip the lookup
                last = sourceOf[k];
                lastRank = rankOf.get(last);
            }
            rank[k] = lastRank;
            starts[lastRank + 1]++;
        }
        for (int r = 0; r < distinct.length; r++) {
            starts[r + 1] += starts[r];
        }
        int[] sorted = new int[n];
        int[] next = Arrays.copyOf(starts, distinct.length);
        for (int k = 0; k < n; k++) {
            sorted[next[rank[k]]++] = k;
        }
        int[] scratch = new int[n];
        for (int r = 0; r < distinct.length; r++) {
            mergeSort(sorted, scratch, starts[r], starts[r + 1]);
        }
        return sorted;
    }

    /** Stable sort of {@code a[from, to)} by time, then id; {@code scratch} is as long as {@code a}. */
    private void mergeSort(int[] a, int[] scratch, int from, int to) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, scratch, from, mid);
        mergeSort(a, scratch, mid, to);
        if (compare(a[mid - 1], a[mid]) <= 0) {
            return; // already in order: the common case for entries that arrive in time order
        }
        System.arraycopy(a, from, scratch, from, to - from);
        int left = from;
        int right = mid;
        for (int out = from; out < to; out++) {
            if (right >= to || left < mid && compare(scratch[left], scratch[right]) <= 0) {
                a[out] = scratch[left++];
            } else {
                a[out] = scratch[right++];
            }
        }
    }

    /** Entries {@code a} and {@code b} of one source, by timestamp then id. */
    private int compare(int a, int b) {
        int byTime = compareTime(a, b);
        if (byTime != 0) {
            return byTime;
        }
        return decoder.id(batches[batchOf[a]], indexOf[a]).compareTo(decoder.id(batches[batchOf[b]], indexOf[b]));
    }

    private int compareTime(int a, int b) {
        int bySeconds = Long.compare(seconds[a], seconds[b]);
        return bySeconds != 0 ? bySeconds : Integer.compare(nanos[a], nanos[b]);
    }

    @Override
    public int size() {
        return order.length;
    }

    @Override
    public int messageBytes(int index) {
        return messageBytes[order[index]];
    }

    @Override
    public Summary summary() {
        return summary;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<LogEntry> page(int from, int to) {
        List<LogEntry> page = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            int k = order[i];
            page.add(decoder.decode(batches[batchOf[k]], indexOf[k], sourceOf[k], (Map<String, String>) tagsOf[k]));
        }
        return page;
    }
}
