package io.timberdb.storage.shard;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.query.EntryFields;
import io.timberdb.model.query.EntryFilter;
import io.timberdb.model.query.ImpliedFilter;
import io.timberdb.model.query.OrderBy;
import io.timberdb.model.query.PartialAggregates;
import io.timberdb.model.query.Query;
import io.timberdb.model.query.QueryParser;
import io.timberdb.model.query.RequiredTerms;
import io.timberdb.model.shard.ShardPlan;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.storage.block.PageColumns;
import io.timberdb.storage.block.Pruning;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Evaluates a {@link ShardQuery} over the entries of a shard that its indexes did not prune:
 * every entry fed to it is tested with the exact condition (the JSON filter, or the WHERE
 * condition of a query of the language), the matches are counted, and either the first
 * {@code limit} of them in the query's order are kept in a bounded heap — newest first (timestamp
 * descending, then id descending) unless the query says {@code ORDER BY time ASC} — or, for an
 * aggregating query, they are added to its partial groups. It also counts what pruning left out,
 * for the plan.
 *
 * <p>Not thread-safe: one instance per query and thread — a query scanning a shard on several
 * threads gives each a {@link #fork()} and {@linkplain #absorb absorbs} them at the end. It reads
 * the active block lock-free.
 */
final class ShardScan {

    static final Comparator<EntryFields> NEWEST_FIRST = EntryFields.NEWEST_FIRST;

    private final QueryFilter pruning;
    private final Predicate<EntryFields> filter;
    private final Comparator<EntryFields> order;
    private final int limit;
    private final boolean explain;
    /** Terms every match's message has: those MATCHES conjuncts at the top of WHERE require. */
    private final Set<String> requiredTerms;
    /** The groups of an aggregating query, else null. */
    private final PartialAggregates groups;
    /** Counts straight from the postings, when the query allows it; else null. */
    private final PostingCountPlan postingCounts;
    /** The query of the language, for {@link #fork()}; null for the JSON filter. */
    private final Query query;
    /** Counts a page's matches by labels for {@link #groups} when they read nothing else, else null. */
    private final LabelCounts labelCounts;
    /** The kept matches with the last in the query's order at the head, so that an earlier match can evict it. */
    private final PriorityQueue<LogEntry> kept;
    /** The clock of the time budget, in nanoseconds ({@link System#nanoTime} but in tests). */
    private final LongSupplier nanoClock;
    /** When the budget runs out, on {@link #nanoClock} (compared by difference: it may wrap); unused without a budget. */
    private final long deadline;
    private final long budgetMillis;
    /** Entries examined one by one since the budget was last checked. */
    private int sinceCheck;
    private long scanned;
    private long matched;
    private long blocks;
    private long blocksPruned;
    private long pages;
    private long pagesPruned;
    private long prunedByTime;
    private long prunedByPostings;
    private long prunedByTokens;
    private long activeEntries;

    ShardScan(ShardQuery query) {
        this(query, System::nanoTime);
    }

    /** A scan whose time budget ({@link ShardQuery#budgetMillis()}) runs on {@code nanoClock}. */
    ShardScan(ShardQuery query, LongSupplier nanoClock) {
        if (query.budgetMillis() != null && query.budgetMillis() < 0) {
            throw TimberException.invalidField("budget_ms", "must not be negative");
        }
        this.nanoClock = nanoClock;
        this.budgetMillis = query.budgetMillis() == null ? 0 : query.budgetMillis();
        this.deadline = nanoClock.getAsLong() + budgetMillis * 1_000_000L;
        if (query.limit() < 0) {
            throw TimberException.invalidField("limit", "must not be negative");
        }
        this.limit = query.limit();
        if (query.query() == null) {
            this.pruning = query.filter() == null ? QueryFilter.ALL : query.filter();
            Predicate<LogEntry> json = pruning.toPredicate();
            this.filter = e -> json.test(LogEntry.of(e));
            this.order = NEWEST_FIRST;
            this.explain = false;
            this.groups = null;
            this.requiredTerms = Set.of();
            this.query = null;
            this.postingCounts = null;
        } else {
            if (query.now() == null) {
                throw TimberException.missingField("now");
            }
            Query q = QueryParser.parse(query.query());
            OrderBy orderBy = q.orderBy();
            boolean oldestFirst = orderBy != null && !orderBy.descending();
            this.order = oldestFirst ? NEWEST_FIRST.reversed() : NEWEST_FIRST;
            QueryFilter implied = ImpliedFilter.of(q.where(), query.now());
            Predicate<EntryFields> where = EntryFilter.of(q.where(), query.now());
            if (query.after() == null) {
                this.pruning = implied;
                this.filter = where;
            } else {
                EntryFields last = new LogEntry(query.after().id(), query.after().timestamp(), "", Map.of(), "");
                this.pruning = after(implied, query.after().timestamp(), oldestFirst);
                this.filter = where.and(e -> order.compare(e, last) > 0);
            }
            this.explain = q.explain();
            this.requiredTerms = requiredTerms(q.where());
            this.groups = q.isAggregating() ? PartialAggregates.of(q) : null;
            this.query = q;
            this.postingCounts = query.after() == null ? PostingCountPlan.of(groups, q.where()) : null;
        }
        this.labelCounts = groups != null ? LabelCounts.forGroups(groups) : null;
        this.kept = new PriorityQueue<>(Math.min(Math.max(limit, 1), 1024), order.reversed());
    }

    /** A scan of the same query with nothing seen yet: its condition, order and pruning are shared. */
    private ShardScan(ShardScan parent) {
        this.nanoClock = parent.nanoClock;
        this.deadline = parent.deadline;
        this.budgetMillis = parent.budgetMillis;
        this.limit = parent.limit;
        this.pruning = parent.pruning;
        this.filter = parent.filter;
        this.order = parent.order;
        this.explain = parent.explain;
        this.requiredTerms = parent.requiredTerms;
        this.query = parent.query;
        this.postingCounts = parent.postingCounts;
        this.groups = parent.groups == null ? null : PartialAggregates.of(query);
        this.labelCounts = groups != null ? LabelCounts.forGroups(groups) : null;
        this.kept = new PriorityQueue<>(Math.min(Math.max(limit, 1), 1024), order.reversed());
    }

    /**
     * A scan of the same query for another thread to feed part of the shard to; its findings are
     * added to this one's with {@link #absorb}.
     */
    ShardScan fork() {
        return new ShardScan(this);
    }

    /** Adds what a {@link #fork()} of this scan found: counts, plan, kept matches and groups. */
    void absorb(ShardScan part) {
        part.flushLabels();
        scanned += part.scanned;
        matched += part.matched;
        blocks += part.blocks;
        blocksPruned += part.blocksPruned;
        pages += part.pages;
        pagesPruned += part.pagesPruned;
        prunedByTime += part.prunedByTime;
        prunedByPostings += part.prunedByPostings;
        prunedByTokens += part.prunedByTokens;
        activeEntries += part.activeEntries;
        if (groups != null) {
            groups.merge(part.groups.groups());
        }
        for (LogEntry entry : part.kept) {
            keep(entry);
        }
    }

    /**
     * {@code filter} narrowed to the entries that can come after an entry at {@code at}: at or
     * before it newest first, at or after it oldest first (the id decides among equal timestamps).
     */
    private static QueryFilter after(QueryFilter filter, Instant at, boolean oldestFirst) {
        Instant from = filter.from();
        Instant to = filter.to();
        if (oldestFirst) {
            from = from == null || at.isAfter(from) ? at : from;
        } else {
            Instant end = at.plusNanos(1);
            to = to == null || end.isBefore(to) ? end : to;
        }
        if (from != null && to != null && to.isBefore(from)) {
            to = from;
        }
        return new QueryFilter(Arrays.asList(from == null ? null : from.toString(), to == null ? null : to.toString()),
                filter.source(), filter.tags(), filter.messageContains());
    }

    /** The terms the MATCHES conditions among the top-level AND conjuncts of {@code where} require. */
    private static Set<String> requiredTerms(io.timberdb.model.query.Predicate where) {
        Set<String> terms = new HashSet<>();
        if (where instanceof io.timberdb.model.query.Predicate.And and) {
            terms.addAll(requiredTerms(and.left()));
            terms.addAll(requiredTerms(and.right()));
        } else if (where instanceof io.timberdb.model.query.Predicate.Matches m) {
            terms.addAll(RequiredTerms.of(m.query()));
        }
        return terms;
    }

    /**
     * What the indexes prune with, as conditions: {@code time >= a AND time < b AND source = 's'
     * AND tags.k = 'v' AND message CONTAINS 'x' AND tokens [t1, t2]}; "nothing" when they cannot.
     */
    private String describePruning() {
        List<String> parts = new ArrayList<>();
        if (pruning.from() != null) {
            parts.add("time >= " + pruning.from());
        }
        if (pruning.to() != null) {
            parts.add("time < " + pruning.to());
        }
        if (pruning.source() != null) {
            parts.add("source = '" + pruning.source() + "'");
        }
        pruning.tags().forEach((k, v) -> parts.add("tags." + k + " = '" + v + "'"));
        if (pruning.messageContains() != null) {
            parts.add("message CONTAINS '" + pruning.messageContains() + "'");
        }
        if (!requiredTerms.isEmpty()) {
            parts.add("tokens " + new java.util.TreeSet<>(requiredTerms));
        }
        return parts.isEmpty() ? "nothing" : String.join(" AND ", parts);
    }

    /** Terms every match's message has, for the token filters; empty when none is known. */
    Set<String> requiredTerms() {
        return requiredTerms;
    }

    /** The filter the indexes prune with: necessary for a match, maybe not sufficient. */
    QueryFilter pruning() {
        return pruning;
    }

    /** Whether the query only asks for its plan: pruning is counted, no page is read. */
    boolean explain() {
        return explain;
    }

    /** Counts one sealed block of {@code pageCount} pages and what its indexes ruled out. */
    void block(int pageCount, Pruning pruning) {
        blocks++;
        pages += pageCount;
        pagesPruned += pageCount - pruning.candidates().size();
        prunedByTime += pruning.byTime();
        prunedByPostings += pruning.byPostings();
        prunedByTokens += pruning.byTokens();
        if (pruning.candidates().isEmpty()) {
            blocksPruned++;
        }
    }

    /** Counts the entries of the active block, which has no page indexes. */
    void active(int entries) {
        activeEntries += entries;
    }

    /** Counts {@code n} entries examined and ruled out without being decoded (see {@code EncodedFilter}). */
    void skipped(int n) {
        scanned += n;
    }

    /** How to count pages from a block's postings without reading them, or null when the query needs the entries. */
    PostingCountPlan postingCounts() {
        return postingCounts;
    }

    /** Adds {@code n} matching entries counted from the postings, all alike in the labels {@code representative} has. */
    void addCounted(LogEntry representative, long n) {
        scanned += n;
        matched += n;
        groups.add(representative, n);
    }

    /** Whether the scan keeps entries and has {@code limit} of them: only earlier ones in its order can still enter. */
    boolean full() {
        return groups == null && kept.size() >= limit;
    }

    /**
     * Whether the scan keeps entries in newest-first order (else oldest first); pages and blocks
     * are best fed in that order, so that fewer matches are kept and then pushed out.
     */
    boolean newestFirst() {
        return order == NEWEST_FIRST;
    }

    /**
     * Fails the scan with {@code TIMEOUT} when its time budget has run out; called before each
     * page and every few thousand entries examined one by one.
     */
    void checkBudget() {
        sinceCheck = 0;
        if (budgetMillis > 0 && nanoClock.getAsLong() - deadline > 0) {
            throw new TimberException(ErrorCode.TIMEOUT, "the shard scan ran past its budget of " + budgetMillis
                    + " ms (the query's timeout) after examining " + scanned + " entries");
        }
    }

    /** Examines one entry: a {@link LogEntry}, or a row of a page that is copied only if it is kept. */
    void accept(EntryFields entry) {
        if (++sinceCheck == 4096) {
            checkBudget();
        }
        scanned++;
        if (!filter.test(entry)) {
            return;
        }
        matched++;
        if (groups != null) {
            groups.add(entry);
        } else {
            keep(entry);
        }
    }

    /** Adds what {@link #labelCounts} counted to the groups. */
    private void flushLabels() {
        if (labelCounts != null) {
            labelCounts.flush(groups);
        }
    }

    /** Keeps a match if it is among the first {@code limit} in the query's order so far. */
    private void keep(EntryFields entry) {
        if (kept.size() < limit) {
            kept.add(LogEntry.of(entry));
        } else if (limit > 0 && order.compare(entry, kept.peek()) < 0) {
            kept.poll();
            kept.add(LogEntry.of(entry));
        }
    }

    /** Examines every entry of a page, reading only the columns the query needs. */
    void accept(PageColumns page) {
        checkBudget();
        PageColumns.Row row = page.row();
        int n = page.size();
        if (labelCounts == null) {
            for (int e = 0; e < n; e++) {
                accept(row.at(e));
            }
            return;
        }
        labelCounts.start(page);
        scanned += n;
        for (int e = 0; e < n; e++) {
            if (filter.test(row.at(e))) {
                labelCounts.add(row);
                matched++;
            }
        }
    }

    /** The result so far: the kept matches in order (or the groups), the counts, and what could not be read. */
    ShardQueryResult result(List<String> unreadable) {
        flushLabels();
        List<LogEntry> entries = new ArrayList<>(kept);
        entries.sort(order);
        ShardPlan plan = new ShardPlan(blocks, blocksPruned, pages, pagesPruned, pages - pagesPruned, activeEntries,
                describePruning(), new ShardPlan.PrunedBy(prunedByTime, prunedByPostings, prunedByTokens));
        return new ShardQueryResult(List.copyOf(entries), scanned, matched, unreadable,
                groups == null ? List.of() : groups.groups(), plan);
    }
}
