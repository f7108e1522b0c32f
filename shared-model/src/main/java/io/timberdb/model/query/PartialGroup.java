package io.timberdb.model.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.timberdb.model.sketch.HyperLogLog;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One group of an aggregating query as a shard computed it: the partial state of every aggregate
 * of the SELECT list, which the query service merges with the same group of the other shards
 * (see {@link PartialAggregates}).
 *
 * @param key the GROUP BY values in GROUP BY order: a time bin as its start in epoch
 *        milliseconds (decimal), a source or tag value as itself, null for an absent tag; empty
 *        without GROUP BY
 * @param states one per SELECT item, in SELECT order; null for an item that is a group key
 */
public record PartialGroup(List<String> key, List<State> states) {

    /**
     * The mergeable state of one aggregate; every field a function does not need is zero, null or
     * empty. Merging states and then finishing gives what the {@link ReferenceEvaluator} computes
     * over the union of the entries: all of it is exact but {@code distinct}, a sketch whose merge
     * is exactly the sketch of the union, as the reference computes it.
     *
     * @param count entries counted ({@code count(*)}, {@code count(f)})
     * @param numbers how many numeric values were read (avg's divisor)
     * @param sum their sum (sum, avg), null before the first
     * @param min the smallest (min), null before the first
     * @param max the largest (max), null before the first
     * @param values every numeric value (percentile)
     * @param counts how many entries had each value (top; count_distinct from a storage node that
     *        predates {@code distinct}, which the query service still merges)
     * @param distinct the sketch of the values (count_distinct), JSON base64 (see
     *        {@link HyperLogLog}); absent for the other functions. The state's own: whoever reads
     *        it merges it into another sketch and does not change it
     */
    public record State(long count, long numbers, BigDecimal sum, BigDecimal min, BigDecimal max,
                        List<BigDecimal> values, Map<String, Long> counts,
                        @JsonInclude(JsonInclude.Include.NON_NULL) HyperLogLog distinct) {

        public State {
            values = values == null ? List.of() : values;
            counts = counts == null ? Map.of() : counts;
        }
    }
}
