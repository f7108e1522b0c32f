package io.timberdb.query.plan;

import io.timberdb.model.api.LogEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A k-way merge of the shards' entries, each shard's already in the query's order (as
 * {@link io.timberdb.model.shard.ShardQueryResult#entries()} promises): a heap holds one cursor
 * per shard, keyed by the entry it stands on; the merge takes the heap's least entry and advances
 * that cursor, until LIMIT entries are taken or every cursor is spent. It reads at most LIMIT
 * entries plus one per shard beyond what it keeps (and the duplicates it skips), and never sorts
 * the union: O(LIMIT · log k) for k shards, where sorting every answer cost O(k · LIMIT · log(k · LIMIT)).
 *
 * <p>The result is exactly that of sorting the shards' entries, concatenated in the order the
 * shards are given, with a stable sort and keeping the first of each id: entries equal in the
 * query's order (the same timestamp and id, from two replicas) are taken in shard order, and a
 * duplicate id is dropped wherever it comes later.
 *
 * <p>Stateless; thread-safe.
 */
final class EntryMerge {

    private EntryMerge() {
    }

    /**
     * The first {@code limit} entries of {@code shards} in {@code order}, each id once.
     *
     * @param shards every shard's entries, each list in {@code order}
     * @throws IllegalStateException when a shard's entries turn out not to be in {@code order}
     *         (a broken node: better no answer than a wrongly ordered one)
     */
    static List<LogEntry> firstDistinct(List<List<LogEntry>> shards, Comparator<LogEntry> order, int limit) {
        PriorityQueue<Cursor> heap = new PriorityQueue<>(Math.max(shards.size(), 1),
                Comparator.comparing((Cursor c) -> c.head, order).thenComparingInt(c -> c.rank));
        for (int rank = 0; rank < shards.size(); rank++) {
            Iterator<LogEntry> entries = shards.get(rank).iterator();
            if (entries.hasNext()) {
                heap.add(new Cursor(rank, entries, entries.next()));
            }
        }
        int total = shards.stream().mapToInt(List::size).sum();
        List<LogEntry> page = new ArrayList<>(Math.min(total, limit));
        // at most limit ids: only those taken are remembered
        Set<String> taken = new HashSet<>();
        while (page.size() < limit && !heap.isEmpty()) {
            Cursor least = heap.poll();
            if (taken.add(least.head.id())) {
                page.add(least.head);
            }
            if (least.advance(order)) {
                heap.add(least);
            }
        }
        return page;
    }

    /**
     * Where the merge stands in one shard's entries: {@code head} is the next entry not yet taken.
     * Confined to the merging thread.
     */
    private static final class Cursor {
        final int rank;
        final Iterator<LogEntry> rest;
        LogEntry head;

        Cursor(int rank, Iterator<LogEntry> rest, LogEntry head) {
            this.rank = rank;
            this.rest = rest;
            this.head = head;
        }

        /** Moves to the next entry; false when there is none. */
        boolean advance(Comparator<LogEntry> order) {
            if (!rest.hasNext()) {
                return false;
            }
            LogEntry next = rest.next();
            if (order.compare(next, head) < 0) {
                throw new IllegalStateException("shard answer #" + rank + " is not in the query's order: "
                        + next.id() + " comes after " + head.id());
            }
            head = next;
            return true;
        }
    }
}
