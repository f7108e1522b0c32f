package io.timberdb.storage.shard;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Evaluates a {@link ShardQuery} over a shard's entries by a full scan: every entry is examined,
 * the matches are counted and the newest {@code limit} of them kept in a bounded heap.
 * Newest first means by timestamp descending, then by id descending.
 *
 * <p>Not thread-safe: one instance per query; it reads the {@link EntryList} lock-free.
 */
final class NewestFirstScan {

    static final Comparator<LogEntry> NEWEST_FIRST = LogEntry.NEWEST_FIRST;

    private final Predicate<LogEntry> filter;
    private final int limit;
    /** The kept matches with the oldest at the head, so that a newer match can evict it. */
    private final PriorityQueue<LogEntry> newest;
    private long scanned;
    private long matched;

    NewestFirstScan(ShardQuery query) {
        QueryFilter filter = query.filter() == null ? QueryFilter.ALL : query.filter();
        if (query.limit() < 0) {
            throw TimberException.invalidField("limit", "must not be negative");
        }
        this.filter = filter.toPredicate();
        this.limit = query.limit();
        this.newest = new PriorityQueue<>(Math.min(Math.max(limit, 1), 1024), NEWEST_FIRST.reversed());
    }

    /** Counts {@code n} entries examined and ruled out without being decoded (see {@code EncodedFilter}). */
    void skipped(int n) {
        scanned += n;
    }

    /** Examines one entry. */
    void accept(LogEntry entry) {
        scanned++;
        if (!filter.test(entry)) {
            return;
        }
        matched++;
        if (newest.size() < limit) {
            newest.add(entry);
        } else if (limit > 0 && NEWEST_FIRST.compare(entry, newest.peek()) < 0) {
            newest.poll();
            newest.add(entry);
        }
    }

    /** The result so far: the kept matches newest first, the counts, and what could not be read. */
    ShardQueryResult result(List<String> unreadable) {
        List<LogEntry> entries = new ArrayList<>(newest);
        entries.sort(NEWEST_FIRST);
        return new ShardQueryResult(List.copyOf(entries), scanned, matched, unreadable);
    }
}
