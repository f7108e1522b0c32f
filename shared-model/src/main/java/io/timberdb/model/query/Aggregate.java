package io.timberdb.model.query;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An aggregate function of the SELECT list, e.g. {@code count(*)} or {@code percentile(tags.latency_ms, 99)}.
 *
 * @param function which function
 * @param field its argument; null only for {@code count(*)}
 * @param parameter the second argument: {@code p} of percentile (0 to 100), {@code k} of top (a
 *        positive integer); null for the other functions
 */
public record Aggregate(Function function, Field field, BigDecimal parameter) implements SelectItem {

    /** The aggregate functions, by their name in the language. */
    public enum Function {
        /** {@code count(*)}: entries; {@code count(f)}: entries that have {@code f}. */
        COUNT("count"),
        /**
         * Distinct values of a field: a HyperLogLog estimate, exact for small counts, the same in the
         * engine as in the reference evaluator.
         */
        COUNT_DISTINCT("count_distinct"),
        /** Smallest numeric value of a tag. */
        MIN("min"),
        /** Largest numeric value of a tag. */
        MAX("max"),
        /** Mean of the numeric values of a tag. */
        AVG("avg"),
        /** Sum of the numeric values of a tag. */
        SUM("sum"),
        /** The p-th percentile (nearest rank) of the numeric values of a tag. */
        PERCENTILE("percentile"),
        /** The k most frequent values of a field, with their counts. */
        TOP("top");

        private final String text;

        Function(String text) {
            this.text = text;
        }

        /** The name in the language, lower case. */
        public String text() {
            return text;
        }

        /** Whether the function reads numbers, so its argument must be a tag. */
        public boolean isNumeric() {
            return this == MIN || this == MAX || this == AVG || this == SUM || this == PERCENTILE;
        }

        /** Whether the function takes a second argument. */
        public boolean hasParameter() {
            return this == PERCENTILE || this == TOP;
        }
    }

    public Aggregate {
        Objects.requireNonNull(function, "function");
        if (field == null && function != Function.COUNT) {
            throw new IllegalArgumentException(function.text() + " needs a field");
        }
        if ((parameter != null) != function.hasParameter()) {
            throw new IllegalArgumentException(function.text() + (function.hasParameter() ? " needs" : " takes no")
                    + " second argument");
        }
    }

    /** {@code count(*)}. */
    public static Aggregate countAll() {
        return new Aggregate(Function.COUNT, null, null);
    }
}
