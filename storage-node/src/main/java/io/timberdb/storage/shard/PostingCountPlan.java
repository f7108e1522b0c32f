package io.timberdb.storage.shard;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.query.Field;
import io.timberdb.model.query.PartialAggregates;
import io.timberdb.model.query.Predicate;
import io.timberdb.storage.block.BlockReader;
import io.timberdb.storage.block.PageCounts;
import io.timberdb.storage.block.PageInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counts straight from a block's page directory and postings: for {@code SELECT count(*) …} or
 * {@code SELECT <label>, count(*) … GROUP BY <label>} (the label a source or one tag, no time
 * bin, every aggregate {@code count(*)}) whose WHERE condition is absent or only bounds the time,
 * the entries of a page that lies wholly inside the time range all match. Without a label their
 * number is the page's entry count (any format); by a label, a format 5 block's postings say how
 * many of them have each source or tag value ({@link BlockReader#tagValueCounts}), and entries
 * without the tag are the rest. Such pages are counted without being read; pages the range only
 * partly covers are scanned as usual.
 *
 * <p>Immutable; thread-safe.
 */
final class PostingCountPlan {

    /** The tag key counted by, or null to count by source (or by nothing: {@link #byLabel} false). */
    private final String tagKey;
    /** Whether the groups are by a label; if not, there is one group, of every entry. */
    private final boolean byLabel;

    private PostingCountPlan(String tagKey, boolean byLabel) {
        this.tagKey = tagKey;
        this.byLabel = byLabel;
    }

    /**
     * The plan for a query, or null when its groups or condition need the entries: more than one
     * label, a bin, another aggregate than {@code count(*)}, or a condition on more than time.
     */
    static PostingCountPlan of(PartialAggregates groups, Predicate where) {
        if (groups == null || !groups.readsOnlyLabels() || groups.binWidthsMillis().length > 0
                || !groups.countsEntriesOnly() || !boundsTimeOnly(where)) {
            return null;
        }
        List<Field> labels = List.copyOf(groups.labelsRead());
        if (labels.isEmpty()) {
            return new PostingCountPlan(null, false);
        }
        if (labels.size() != 1) {
            return null;
        }
        Field label = labels.get(0);
        return new PostingCountPlan(label.kind() == Field.Kind.TAG ? label.tagKey() : null, true);
    }

    /** Whether {@code where} is absent or an AND of time conditions only, which ImpliedFilter turns into the exact range. */
    private static boolean boundsTimeOnly(Predicate where) {
        if (where == null) {
            return true;
        }
        if (where instanceof Predicate.And and) {
            return boundsTimeOnly(and.left()) && boundsTimeOnly(and.right());
        }
        return where instanceof Predicate.TimeCompare c && c.op() != io.timberdb.model.query.CompareOp.NE
                || where instanceof Predicate.TimeBetween;
    }

    /**
     * Counts the pages of {@code candidates} that lie wholly inside {@code range} from the
     * block's postings into {@code scan}, and returns the others, to be scanned; all of them when
     * the block has no posting counts (a format before 5).
     */
    List<Integer> count(BlockReader reader, List<Integer> candidates, QueryFilter range, ShardScan scan)
            throws IOException {
        Optional<Map<String, PageCounts>> counts = !byLabel ? Optional.of(Map.of())
                : tagKey == null ? reader.sourceCounts() : reader.tagValueCounts(tagKey);
        if (counts.isEmpty()) {
            return candidates;
        }
        boolean[] whole = new boolean[reader.pageCount()];
        long wholeEntries = 0;
        List<Integer> rest = new java.util.ArrayList<>();
        for (int page : candidates) {
            PageInfo info = reader.page(page);
            if (inside(info.minTimestamp(), info.maxTimestamp(), range.from(), range.to())) {
                whole[page] = true;
                wholeEntries += info.entryCount();
            } else {
                rest.add(page);
            }
        }
        if (wholeEntries == 0) {
            return candidates;
        }
        long withValue = 0;
        for (Map.Entry<String, PageCounts> value : counts.get().entrySet()) {
            PageCounts pages = value.getValue();
            long n = 0;
            for (int i = 0; i < pages.size(); i++) {
                if (whole[pages.page(i)]) {
                    n += pages.count(i);
                }
            }
            if (n > 0) {
                scan.addCounted(representative(value.getKey()), n);
                withValue += n;
            }
        }
        if (wholeEntries > withValue) { // entries without the tag (or all, without a label); sources never lack
            scan.addCounted(representative(null), wholeEntries - withValue);
        }
        return rest;
    }

    /** An entry standing for every entry with this value of the label (null: without the tag). */
    private LogEntry representative(String value) {
        if (byLabel && tagKey == null) {
            return new LogEntry("", Instant.EPOCH, value, Map.of(), "");
        }
        return new LogEntry("", Instant.EPOCH, "", value == null ? Map.of() : Map.of(tagKey, value), "");
    }

    private static boolean inside(Instant min, Instant max, Instant from, Instant to) {
        return (from == null || !min.isBefore(from)) && (to == null || max.isBefore(to));
    }
}
