package io.timberdb.model.query;

import io.timberdb.model.sketch.HyperLogLog;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The groups of an aggregating query, computed in parts and merged: a storage node
 * {@linkplain #add adds} the entries of its shard that match and answers {@link #groups()}; the
 * query service {@linkplain #merge merges} every shard's groups and {@linkplain #result finishes}
 * them into rows, ordered and cut as the language says ({@link RowOrder}).
 *
 * <p>The engine answers what the {@link ReferenceEvaluator} does: count, sum, min and max merge
 * by addition and comparison, avg as sum and count divided at the end, top as per-value counts,
 * percentile as the list of values — all exact; count_distinct as a {@link HyperLogLog} sketch,
 * whose merge is the sketch of the union, so its estimate is the one the reference computes over
 * all the values. top and percentile cost memory proportional to the distinct values (or values)
 * of a group — bounded by the query's memory budget on the query service; a sketch at most 16 KiB.
 *
 * <p>Not thread-safe: one instance per shard scan or per merge.
 */
public final class PartialAggregates {

    private final Query query;
    private final List<Aggregate> aggregates;
    private final Map<List<String>, Accumulator[]> groups = new LinkedHashMap<>();

    private PartialAggregates(Query query) {
        this.query = query;
        this.aggregates = new ArrayList<>();
        for (SelectItem item : query.select()) {
            aggregates.add(item instanceof Aggregate a ? a : null);
        }
        if (query.groupBy().isEmpty()) {
            groups.put(List.of(), accumulators()); // one row even over no entries
        }
    }

    /** The empty groups of an aggregating query. */
    public static PartialAggregates of(Query query) {
        if (!query.isAggregating()) {
            throw new IllegalArgumentException("the query does not aggregate");
        }
        return new PartialAggregates(query);
    }

    /** Adds one entry that satisfies the query's WHERE condition. */
    public void add(EntryFields e) {
        add(e, 1);
    }

    /**
     * Whether an entry's part in the groups depends only on its source, its tags and the bin of
     * its time: no group key or aggregate reads the message, the id or the exact time. Entries
     * alike in those three can then be counted and {@linkplain #add(EntryFields, long) added}
     * once, as storage nodes do page by page.
     */
    public boolean readsOnlyLabels() {
        for (GroupKey k : query.groupBy()) {
            if (k instanceof Field f && !isLabel(f)) {
                return false;
            }
        }
        for (Aggregate a : aggregates) {
            if (a != null && a.field() != null && !isLabel(a.field())) {
                return false;
            }
        }
        return true;
    }

    /** Whether every aggregate is {@code count(*)}: a group's state is then its number of entries. */
    public boolean countsEntriesOnly() {
        for (Aggregate a : aggregates) {
            if (a != null && (a.function() != Aggregate.Function.COUNT || a.field() != null)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The labels (source, tags.k) the groups read, through group keys or aggregates, in no
     * particular order: entries alike in these and in their time bin add alike.
     */
    public Set<Field> labelsRead() {
        Set<Field> fields = new LinkedHashSet<>();
        for (GroupKey k : query.groupBy()) {
            if (k instanceof Field f) {
                fields.add(f);
            }
        }
        for (Aggregate a : aggregates) {
            if (a != null && a.field() != null) {
                fields.add(a.field());
            }
        }
        return fields;
    }

    private static boolean isLabel(Field f) {
        return f.kind() == Field.Kind.SOURCE || f.kind() == Field.Kind.TAG;
    }

    /** The widths of the query's time bins in milliseconds, in GROUP BY order (empty: no bin). */
    public long[] binWidthsMillis() {
        return query.groupBy().stream().filter(Bin.class::isInstance).mapToLong(k -> ((Bin) k).width().toMillis()).toArray();
    }

    /**
     * Adds {@code weight} entries that satisfy the query's WHERE condition and are alike in every
     * field the groups read (see {@link #readsOnlyLabels()}); {@code e} stands for them all.
     */
    public void add(EntryFields e, long weight) {
        List<String> key = new ArrayList<>(query.groupBy().size());
        for (GroupKey k : query.groupBy()) {
            key.add(k instanceof Bin bin ? Long.toString(ReferenceEvaluator.binStart(e.timestamp(), bin.width()).toEpochMilli())
                    : EntryFilter.text((Field) k, e));
        }
        Accumulator[] group = groups.computeIfAbsent(key, k -> accumulators());
        for (int i = 0; i < group.length; i++) {
            if (group[i] != null) {
                Aggregate a = aggregates.get(i);
                group[i].add(a.field() == null ? "" : EntryFilter.text(a.field(), e), weight);
            }
        }
    }

    /** The partial state of every group so far. */
    public List<PartialGroup> groups() {
        List<PartialGroup> out = new ArrayList<>(groups.size());
        groups.forEach((key, group) -> {
            List<PartialGroup.State> states = new ArrayList<>(group.length);
            for (Accumulator acc : group) {
                states.add(acc == null ? null : acc.state());
            }
            out.add(new PartialGroup(key, states));
        });
        return out;
    }

    /** Merges the groups of another part (one shard's answer). */
    public void merge(List<PartialGroup> parts) {
        for (PartialGroup part : parts) {
            Accumulator[] group = groups.computeIfAbsent(part.key(), k -> accumulators());
            for (int i = 0; i < group.length; i++) {
                if (group[i] != null) {
                    group[i].merge(part.states().get(i));
                }
            }
        }
    }

    /** The rows, finished, ordered and cut to the query's limit. */
    public QueryResult result(long matched) {
        List<RowOrder.Group> rows = new ArrayList<>(groups.size());
        groups.forEach((stored, group) -> {
            List<Object> key = new ArrayList<>(stored.size());
            for (int i = 0; i < stored.size(); i++) {
                String v = stored.get(i);
                key.add(query.groupBy().get(i) instanceof Bin && v != null ? Instant.ofEpochMilli(Long.parseLong(v)) : v);
            }
            List<Object> cells = new ArrayList<>();
            for (int i = 0; i < group.length; i++) {
                cells.add(group[i] != null ? group[i].finish()
                        : key.get(query.groupBy().indexOf((GroupKey) query.select().get(i))));
            }
            rows.add(new RowOrder.Group(key, cells));
        });
        rows.sort(RowOrder.of(query));
        List<List<Object>> page = rows.stream().limit(query.effectiveLimit()).map(RowOrder.Group::cells).toList();
        return new QueryResult(matched, query.select().stream().map(QueryPrinter::print).toList(), page, List.of());
    }

    private Accumulator[] accumulators() {
        Accumulator[] group = new Accumulator[aggregates.size()];
        for (int i = 0; i < group.length; i++) {
            group[i] = aggregates.get(i) == null ? null : new Accumulator(aggregates.get(i));
        }
        return group;
    }

    /** The state of one aggregate of one group, mutable. */
    private static final class Accumulator {
        private final Aggregate aggregate;
        private long count;
        private long numbers;
        private BigDecimal sum;
        private BigDecimal min;
        private BigDecimal max;
        private final List<BigDecimal> values = new ArrayList<>();
        private final Map<String, Long> counts = new HashMap<>();
        private final HyperLogLog distinct;

        Accumulator(Aggregate aggregate) {
            this.aggregate = aggregate;
            this.distinct = aggregate.function() == Aggregate.Function.COUNT_DISTINCT ? new HyperLogLog() : null;
        }

        /** Adds a field value {@code weight} times: null when the entry lacks the field ("" for {@code count(*)}). */
        void add(String value, long weight) {
            if (value == null) {
                return;
            }
            switch (aggregate.function()) {
                case COUNT -> count += weight;
                case COUNT_DISTINCT -> distinct.add(value); // a set: the weight makes no difference
                case TOP -> counts.merge(value, weight, Long::sum);
                default -> {
                    BigDecimal n = Aggregation.number(value);
                    if (n != null) {
                        addNumber(n, weight);
                    }
                }
            }
        }

        private void addNumber(BigDecimal n, long weight) {
            numbers += weight;
            BigDecimal total = weight == 1 ? n : n.multiply(BigDecimal.valueOf(weight));
            sum = sum == null ? total : sum.add(total);
            min = min == null || n.compareTo(min) < 0 ? n : min;
            max = max == null || n.compareTo(max) > 0 ? n : max;
            if (aggregate.function() == Aggregate.Function.PERCENTILE) {
                for (long i = 0; i < weight; i++) {
                    values.add(n);
                }
            }
        }

        void merge(PartialGroup.State s) {
            count += s.count();
            numbers += s.numbers();
            if (s.sum() != null) {
                sum = sum == null ? s.sum() : sum.add(s.sum());
            }
            // ties keep the earlier value, as the reference's stream min/max keep the first of equals
            if (s.min() != null && (min == null || s.min().compareTo(min) < 0)) {
                min = s.min();
            }
            if (s.max() != null && (max == null || s.max().compareTo(max) > 0)) {
                max = s.max();
            }
            values.addAll(s.values());
            if (distinct == null) {
                s.counts().forEach((v, c) -> counts.merge(v, c, Long::sum));
                return;
            }
            if (s.distinct() != null) {
                distinct.merge(s.distinct());
            }
            s.counts().keySet().forEach(distinct::add); // a storage node from before the sketch sends the values
        }

        PartialGroup.State state() {
            return switch (aggregate.function()) {
                case COUNT -> new PartialGroup.State(count, 0, null, null, null, null, null, null);
                case COUNT_DISTINCT -> new PartialGroup.State(0, 0, null, null, null, null, null, distinct.copy());
                case TOP -> new PartialGroup.State(0, 0, null, null, null, null, Map.copyOf(counts), null);
                case PERCENTILE -> new PartialGroup.State(0, numbers, null, null, null, List.copyOf(values), null, null);
                default -> new PartialGroup.State(0, numbers, sum, min, max, null, null, null);
            };
        }

        Object finish() {
            return switch (aggregate.function()) {
                case COUNT -> count;
                case COUNT_DISTINCT -> distinct.estimate();
                case TOP -> Aggregation.top(counts, aggregate.parameter().intValueExact());
                case MIN -> min;
                case MAX -> max;
                case SUM -> sum;
                case AVG -> sum == null ? null : sum.divide(BigDecimal.valueOf(numbers), MathContext.DECIMAL128);
                case PERCENTILE -> values.isEmpty() ? null : Aggregation.percentile(values, aggregate.parameter());
            };
        }
    }
}
