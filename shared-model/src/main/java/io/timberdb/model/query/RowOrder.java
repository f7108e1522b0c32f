package io.timberdb.model.query;

import java.util.Comparator;
import java.util.List;

/**
 * The order of the rows of an aggregating query: by the group keys in GROUP BY order, each
 * ascending, nulls last; ORDER BY puts its key first (an aggregate's nulls last in either
 * direction) and the key order breaks ties. Shared by the {@link ReferenceEvaluator} and the
 * engine's merge ({@link PartialAggregates}), so both order alike.
 *
 * <p>Stateless; thread-safe.
 */
final class RowOrder {

    private RowOrder() {
    }

    /** One row: its group key (bins as instants) and its cells in SELECT order. */
    record Group(List<Object> key, List<Object> cells) {
    }

    /** The comparator of {@code q}'s rows. */
    static Comparator<Group> of(Query q) {
        Comparator<Group> byKeys = (a, b) -> {
            for (int i = 0; i < a.key().size(); i++) {
                int c = compareNullsLast(a.key().get(i), b.key().get(i), false);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        OrderBy order = q.orderBy();
        if (order == null) {
            return byKeys;
        }
        boolean desc = order.descending();
        Comparator<Group> first;
        if (order.key().equals(Field.TIME)) {
            int bin = indexOfBin(q.groupBy());
            first = (a, b) -> compareNullsLast(a.key().get(bin), b.key().get(bin), desc);
        } else {
            int column = q.select().indexOf(order.key());
            first = (a, b) -> compareNullsLast(a.cells().get(column), b.cells().get(column), desc);
        }
        return first.thenComparing(byKeys);
    }

    private static int indexOfBin(List<GroupKey> keys) {
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i) instanceof Bin) {
                return i;
            }
        }
        throw new IllegalStateException("ORDER BY time without a bin: the parser refuses it");
    }

    @SuppressWarnings("unchecked")
    private static int compareNullsLast(Object a, Object b, boolean descending) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        // cells of one column share a type: Instant, String, Long or BigDecimal (top is refused by the parser)
        int c = ((Comparable<Object>) a).compareTo(b);
        return descending ? -c : c;
    }
}
