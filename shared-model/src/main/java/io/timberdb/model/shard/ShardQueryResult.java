package io.timberdb.model.shard;

import io.timberdb.model.api.LogEntry;
import java.util.List;

/**
 * One shard's answer.
 *
 * @param entries up to {@code limit} matches, newest first
 * @param scanned entries examined
 * @param matched entries that matched (may exceed {@code entries.size()})
 * @param unreadable what the shard could not read (a quarantined or corrupt block, ...): when
 *        not empty the answer may miss entries, and the query's result is marked partial
 */
public record ShardQueryResult(List<LogEntry> entries, long scanned, long matched, List<String> unreadable) {

    public ShardQueryResult {
        unreadable = unreadable == null ? List.of() : List.copyOf(unreadable);
    }

    /** A complete answer: everything the shard holds was read. */
    public ShardQueryResult(List<LogEntry> entries, long scanned, long matched) {
        this(entries, scanned, matched, List.of());
    }
}
