package io.timberdb.model.shard;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.query.PartialGroup;
import java.util.List;

/**
 * One shard's answer.
 *
 * @param entries up to {@code limit} matches in the query's order (newest first unless the query
 *        asks for oldest first)
 * @param scanned entries examined
 * @param matched entries that matched (may exceed {@code entries.size()})
 * @param unreadable what the shard could not read (a quarantined or corrupt block, ...): when
 *        not empty the answer may miss entries, and the query's result is marked partial
 * @param groups for an aggregating query of the language, the partial state of every group;
 *        else empty
 * @param plan what the shard's indexes pruned; null from a node that does not report it
 * @param version the shard's data version read before the scan (the answer holds at least what
 *        the shard held at that version); null from a node that does not report it, whose
 *        answers are then not cached
 */
public record ShardQueryResult(List<LogEntry> entries, long scanned, long matched, List<String> unreadable,
                               List<PartialGroup> groups, ShardPlan plan, ShardVersion version) {

    public ShardQueryResult {
        entries = entries == null ? List.of() : entries;
        unreadable = unreadable == null ? List.of() : List.copyOf(unreadable);
        groups = groups == null ? List.of() : groups;
    }

    /** An answer without its shard's version. */
    public ShardQueryResult(List<LogEntry> entries, long scanned, long matched, List<String> unreadable,
                            List<PartialGroup> groups, ShardPlan plan) {
        this(entries, scanned, matched, unreadable, groups, plan, null);
    }

    /** This answer, computed at {@code computedAt}. */
    public ShardQueryResult withVersion(ShardVersion computedAt) {
        return new ShardQueryResult(entries, scanned, matched, unreadable, groups, plan, computedAt);
    }

    /** An answer of the JSON form, maybe with parts unreadable. */
    public ShardQueryResult(List<LogEntry> entries, long scanned, long matched, List<String> unreadable) {
        this(entries, scanned, matched, unreadable, List.of(), null);
    }

    /** A complete answer: everything the shard holds was read. */
    public ShardQueryResult(List<LogEntry> entries, long scanned, long matched) {
        this(entries, scanned, matched, List.of());
    }
}
