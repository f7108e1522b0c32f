package io.timberdb.query.plan;

import io.timberdb.model.api.LanguageQueryResponse;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryPlan;
import io.timberdb.model.query.EntryRows;
import io.timberdb.model.query.PartialAggregates;
import io.timberdb.model.query.Query;
import io.timberdb.model.query.QueryResult;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Merges the shards' answers to a query of the language: entries merged k-way in the query's order
 * (newest first, or oldest first for {@code ORDER BY time ASC}), duplicates by id dropped, cut to
 * LIMIT ({@link EntryMerge}); partial groups merged and finished into ordered rows; or, for
 * {@code EXPLAIN}, the shards' plans added up. Shards that no in-sync replica answered make the answer
 * partial and are listed in {@code missing_shards}, with the reasons in {@code error}; so do blocks
 * a shard could not read (in {@code error} only: the shard answered).
 *
 * <p>Each shard contributes one outcome, from one replica ({@link ShardFanout}); the entry merge
 * drops ids seen again all the same, so that no entry is ever doubled.
 *
 * <p>Stateless; thread-safe.
 */
final class LanguageMerge {

    private LanguageMerge() {
    }

    /**
     * @param query the query as the shards ran it (its LIMIT filled in)
     * @param text its canonical text
     * @param now what {@code now()} stood for, kept in the next page's cursor
     */
    static LanguageQueryResponse merge(String id, Query query, String text, Instant now,
                                       List<ShardFanout.Outcome> outcomes, long elapsedMillis) {
        long scanned = 0;
        long matched = 0;
        List<String> failures = new ArrayList<>();
        List<ShardId> missing = new ArrayList<>();
        for (ShardFanout.Outcome o : outcomes) {
            if (o.result() != null) {
                scanned += o.result().scanned();
                matched += o.result().matched();
                o.result().unreadable().forEach(what -> failures.add("shard " + o.shard() + ": " + what));
            } else {
                failures.add(o.failure());
                missing.add(o.shard());
            }
        }
        String error = failures.isEmpty() ? null : "the result may be incomplete: " + String.join("; ", failures);
        boolean partial = !failures.isEmpty();
        List<String> missingShards = missing.isEmpty() ? null : missing.stream()
                .sorted(Comparator.comparing(ShardId::partition).thenComparingInt(ShardId::shard))
                .map(ShardId::toString).toList();
        if (query.explain()) {
            return new LanguageQueryResponse(id, null, null, null, 0, 0, elapsedMillis, partial, error, missingShards,
                    null, plan(query, text, outcomes));
        }
        if (query.isAggregating()) {
            PartialAggregates groups = PartialAggregates.of(query);
            outcomes.stream().filter(o -> o.result() != null).forEach(o -> groups.merge(o.result().groups()));
            QueryResult result = groups.result(matched);
            return new LanguageQueryResponse(id, result.columns(), result.rows(), null, matched, scanned, elapsedMillis,
                    partial, error, missingShards, null, null);
        }
        List<LogEntry> page = entries(query, outcomes);
        List<String> columns = query.selectsAll() ? null : EntryRows.columns(query);
        List<List<Object>> rows = query.selectsAll() ? null : EntryRows.rows(query, page);
        // more matches than the page holds: the next page starts after its last entry
        String next = page.size() == query.effectiveLimit() && matched > page.size()
                ? PageCursor.encode(query, now, page.get(page.size() - 1)) : null;
        return new LanguageQueryResponse(id, columns, rows, page, matched, scanned, elapsedMillis, partial, error,
                missingShards, next, null);
    }

    /**
     * The first LIMIT entries of all the shards' in the query's order, each id once: a k-way merge
     * of the answers ({@link EntryMerge}), each already in that order.
     */
    static List<LogEntry> entries(Query query, List<ShardFanout.Outcome> outcomes) {
        List<List<LogEntry>> answers = outcomes.stream().filter(o -> o.result() != null)
                .map(o -> o.result().entries()).toList();
        return EntryMerge.firstDistinct(answers, order(query), query.effectiveLimit());
    }

    private static Comparator<LogEntry> order(Query query) {
        boolean oldestFirst = query.orderBy() != null && !query.orderBy().descending();
        return oldestFirst ? LogEntry.NEWEST_FIRST.reversed() : LogEntry.NEWEST_FIRST;
    }

    private static QueryPlan plan(Query query, String text, List<ShardFanout.Outcome> outcomes) {
        ShardPlan total = ShardPlan.EMPTY;
        TreeMap<String, ShardPlan> shards = new TreeMap<>();
        for (ShardFanout.Outcome o : outcomes) {
            if (o.result() != null && o.result().plan() != null) {
                total = total.plus(o.result().plan());
                shards.put(o.shard().partition() + "/" + o.shard().shard(), o.result().plan());
            }
        }
        return new QueryPlan(text, query.isAggregating(), total, shards);
    }
}
