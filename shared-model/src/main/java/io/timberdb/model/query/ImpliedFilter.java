package io.timberdb.model.query;

import io.timberdb.model.api.QueryFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link QueryFilter} a WHERE condition implies: a necessary condition, so that storage can
 * prune blocks and pages with its indexes (time, source and tag postings, token filters) and then
 * test the exact condition only on what is left. Every entry that satisfies {@code where} satisfies
 * the implied filter; the converse need not hold.
 *
 * <p>Only the conjuncts at the top of the condition (its {@code AND}s, not under {@code OR} or
 * {@code NOT}) contribute, and of them only those the filter can express:
 * <ul>
 *   <li>time comparisons and {@code BETWEEN}: intersected into one half-open range
 *       {@code [from, to)} (an inclusive end {@code t} becomes {@code t + 1ns}); {@code !=} says
 *       nothing;</li>
 *   <li>{@code source = 'x'} and {@code source IN ('x')} (one value): the source;</li>
 *   <li>{@code tags.k = 'v'} and {@code tags.k IN ('v')}: the tag, the first one per key;</li>
 *   <li>{@code message CONTAINS 'text'} (case-sensitive): the longest such needle.</li>
 * </ul>
 * An empty time range ({@code time > b AND time < a}) is kept as {@code [from, from)}, which admits
 * nothing.
 *
 * <p>Stateless; thread-safe.
 */
public final class ImpliedFilter {

    private static final Duration ONE_NANO = Duration.ofNanos(1);

    private ImpliedFilter() {
    }

    /** The filter implied by {@code where} (null: every entry) for a query that started at {@code now}. */
    public static QueryFilter of(Predicate where, Instant now) {
        List<Predicate> conjuncts = new ArrayList<>();
        flatten(where, conjuncts);
        Instant from = null;
        Instant to = null;
        String source = null;
        Map<String, String> tags = new TreeMap<>();
        String needle = null;
        for (Predicate p : conjuncts) {
            if (p instanceof Predicate.TimeCompare c) {
                Instant at = c.value().resolve(now);
                switch (c.op()) {
                    case EQ -> {
                        from = later(from, at);
                        to = earlier(to, at.plus(ONE_NANO));
                    }
                    case GT -> from = later(from, at.plus(ONE_NANO));
                    case GE -> from = later(from, at);
                    case LT -> to = earlier(to, at);
                    case LE -> to = earlier(to, at.plus(ONE_NANO));
                    default -> {
                        // != excludes one instant: no range to prune with
                    }
                }
            } else if (p instanceof Predicate.TimeBetween b) {
                from = later(from, b.from().resolve(now));
                to = earlier(to, b.to().resolve(now).plus(ONE_NANO));
            } else {
                String value = equality(p, Field.Kind.SOURCE);
                if (value != null && source == null) {
                    source = value;
                }
                Field tag = tagOf(p);
                if (tag != null) {
                    tags.putIfAbsent(tag.tagKey(), equality(p, Field.Kind.TAG));
                }
                if (p instanceof Predicate.Contains c && !c.ignoreCase() && c.field().equals(Field.MESSAGE)
                        && (needle == null || c.text().length() > needle.length())) {
                    needle = c.text();
                }
            }
        }
        if (from != null && to != null && to.isBefore(from)) {
            to = from;
        }
        List<String> range = from == null && to == null ? null
                : Arrays.asList(from == null ? null : from.toString(), to == null ? null : to.toString());
        return new QueryFilter(range, source, tags, needle == null || needle.isEmpty() ? null : needle);
    }

    private static void flatten(Predicate p, List<Predicate> into) {
        if (p instanceof Predicate.And and) {
            flatten(and.left(), into);
            flatten(and.right(), into);
        } else if (p != null) {
            into.add(p);
        }
    }

    /** The value {@code p} requires of a field of this kind ({@code = 'v'} or {@code IN ('v')}), or null. */
    private static String equality(Predicate p, Field.Kind kind) {
        if (p instanceof Predicate.Compare c && c.op() == CompareOp.EQ && c.field().kind() == kind) {
            return c.value();
        }
        if (p instanceof Predicate.In in && in.values().size() == 1 && in.field().kind() == kind) {
            return in.values().get(0);
        }
        return null;
    }

    private static Field tagOf(Predicate p) {
        if (equality(p, Field.Kind.TAG) == null) {
            return null;
        }
        return p instanceof Predicate.Compare c ? c.field() : ((Predicate.In) p).field();
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
