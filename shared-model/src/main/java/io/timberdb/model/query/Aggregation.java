package io.timberdb.model.query;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.query.QueryResult.TopValue;
import io.timberdb.model.sketch.HyperLogLog;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The value of one aggregate over the entries of a group, exact but for count_distinct.
 * <ul>
 *   <li>{@code count(*)}: the entries; {@code count(f)}: those that have {@code f}.</li>
 *   <li>{@code count_distinct(f)}: the {@link HyperLogLog} estimate of the distinct present values:
 *       exact up to {@value HyperLogLog#EXACT_LIMIT} of them, 0.81% standard error past that. It
 *       depends only on the set of values, so the engine's merged sketches give the same number.</li>
 *   <li>{@code min}, {@code max}, {@code sum}, {@code avg}: over the tag values that are numbers
 *       (what {@link BigDecimal#BigDecimal(String)} reads: optional sign, digits, optional fraction
 *       and exponent); other values and absent tags are skipped; null when none is left. avg is
 *       rounded to 34 significant digits (IEEE 754 decimal128).</li>
 *   <li>{@code percentile(f, p)}: nearest rank, exactly: the smallest value with at least
 *       {@code p}% of the values at or below it; {@code p = 0} gives the minimum.</li>
 *   <li>{@code top(f, k)}: the k most frequent present values, by count descending and then
 *       value ascending (UTF-16 order).</li>
 * </ul>
 * Stateless; thread-safe.
 */
final class Aggregation {

    private Aggregation() {
    }

    static Object compute(Aggregate a, List<LogEntry> group) {
        if (a.field() == null) {
            return (long) group.size();
        }
        List<String> values = new ArrayList<>();
        for (LogEntry e : group) {
            String value = EntryFilter.text(a.field(), e);
            if (value != null) {
                values.add(value);
            }
        }
        return switch (a.function()) {
            case COUNT -> (long) values.size();
            case COUNT_DISTINCT -> countDistinct(values);
            case TOP -> top(values, a.parameter().intValueExact());
            default -> numeric(a, numbers(values));
        };
    }

    private static long countDistinct(List<String> values) {
        HyperLogLog sketch = new HyperLogLog();
        values.forEach(sketch::add);
        return sketch.estimate();
    }

    private static Object numeric(Aggregate a, List<BigDecimal> numbers) {
        if (numbers.isEmpty()) {
            return null;
        }
        BigDecimal sum = numbers.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        return switch (a.function()) {
            case MIN -> numbers.stream().min(Comparator.naturalOrder()).orElseThrow();
            case MAX -> numbers.stream().max(Comparator.naturalOrder()).orElseThrow();
            case SUM -> sum;
            case AVG -> sum.divide(BigDecimal.valueOf(numbers.size()), MathContext.DECIMAL128);
            default -> percentile(numbers, a.parameter());
        };
    }

    static BigDecimal percentile(List<BigDecimal> numbers, BigDecimal p) {
        List<BigDecimal> sorted = new ArrayList<>(numbers);
        sorted.sort(Comparator.naturalOrder());
        // rank = ceil(p / 100 * n), from 1; computed exactly in decimal
        BigDecimal rank = p.multiply(BigDecimal.valueOf(sorted.size())).divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING);
        int index = Math.max(rank.intValueExact(), 1) - 1;
        return sorted.get(index);
    }

    private static List<TopValue> top(List<String> values, int k) {
        Map<String, Long> counts = new HashMap<>();
        values.forEach(v -> counts.merge(v, 1L, Long::sum));
        return top(counts, k);
    }

    /** The k values of {@code counts} with the largest counts, ties by value ascending. */
    static List<TopValue> top(Map<String, Long> counts, int k) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(k)
                .map(e -> new TopValue(e.getKey(), e.getValue()))
                .toList();
    }

    private static List<BigDecimal> numbers(List<String> values) {
        List<BigDecimal> numbers = new ArrayList<>();
        for (String v : values) {
            BigDecimal n = number(v);
            if (n != null) {
                numbers.add(n);
            }
        }
        return numbers;
    }

    /** The number a tag value spells, or null. */
    static BigDecimal number(String value) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
