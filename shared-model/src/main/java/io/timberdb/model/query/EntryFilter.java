package io.timberdb.model.query;

import com.google.re2j.Pattern;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link Predicate} ready to test entries: {@code now()} fixed, regular expressions and
 * patterns compiled once. The reference semantics of every condition, spelled out as directly as
 * possible.
 *
 * Storage nodes evaluate pushed-down WHERE conditions with it, so the engine and the
 * {@link ReferenceEvaluator} share one definition of what matches.
 *
 * <p>Immutable; thread-safe.
 */
public final class EntryFilter implements java.util.function.Predicate<EntryFields> {

    private final java.util.function.Predicate<EntryFields> test;

    /** Whether every entry passes (no WHERE condition). */
    private final boolean all;

    private EntryFilter(java.util.function.Predicate<EntryFields> test, boolean all) {
        this.test = test;
        this.all = all;
    }

    /** The filter of {@code where} (null: every entry) for a query that started at {@code now}. */
    public static EntryFilter of(Predicate where, Instant now) {
        return new EntryFilter(where == null ? e -> true : compile(where, now), where == null);
    }

    @Override
    public boolean test(EntryFields entry) {
        return test.test(entry);
    }

    /** Whether the filter passes every entry: the query has no WHERE condition. */
    public boolean passesAll() {
        return all;
    }

    /** The value of a text field of an entry, or null when the entry lacks the tag. */
    static String text(Field field, EntryFields e) {
        return switch (field.kind()) {
            case ID -> e.id();
            case SOURCE -> e.source();
            case MESSAGE -> e.message();
            case TAG -> e.tags().get(field.tagKey());
            case TIME -> e.timestamp().toString();
        };
    }

    private static java.util.function.Predicate<EntryFields> compile(Predicate p, Instant now) {
        if (p instanceof Predicate.And and) {
            return compile(and.left(), now).and(compile(and.right(), now));
        }
        if (p instanceof Predicate.Or or) {
            return compile(or.left(), now).or(compile(or.right(), now));
        }
        if (p instanceof Predicate.Not not) {
            return compile(not.operand(), now).negate();
        }
        if (p instanceof Predicate.TimeCompare c) {
            Instant at = c.value().resolve(now);
            return e -> c.op().test(e.timestamp().compareTo(at));
        }
        if (p instanceof Predicate.TimeBetween b) {
            Instant from = b.from().resolve(now);
            Instant to = b.to().resolve(now);
            return e -> !e.timestamp().isBefore(from) && !e.timestamp().isAfter(to);
        }
        if (p instanceof Predicate.Exists exists) {
            return e -> e.tags().containsKey(exists.tag().tagKey());
        }
        if (p instanceof Predicate.Matches m) {
            // a term is an ASCII-lower-cased run of the message: a message lacking one of the
            // required terms as a substring cannot match, and that test is cheaper than reading
            // the terms (a stored row may even settle it from its template)
            List<String> required = List.copyOf(RequiredTerms.of(m.query()));
            return e -> {
                for (String term : required) {
                    if (!e.messageContains(term, true)) {
                        return false;
                    }
                }
                return TextMatcher.matches(m.query(), e.message());
            };
        }
        if (p instanceof Predicate.Contains c && c.field().kind() == Field.Kind.MESSAGE) {
            // a stored row may settle it from its message template without building the message
            String needle = c.ignoreCase() ? TextTerms.asciiLowerCase(c.text()) : c.text();
            return e -> e.messageContains(needle, c.ignoreCase());
        }
        if (p instanceof Predicate.Compare c && c.op() == CompareOp.NE) {
            // two-valued: != is NOT =, so an entry without the tag satisfies it
            return compile(new Predicate.Compare(c.field(), CompareOp.EQ, c.value()), now).negate();
        }
        return textCondition(p);
    }

    /** The conditions that hold only when the field is present and its value passes a test. */
    private static java.util.function.Predicate<EntryFields> textCondition(Predicate p) {
        Field field;
        java.util.function.Predicate<String> valueTest;
        if (p instanceof Predicate.Compare c) {
            field = c.field();
            valueTest = c.value()::equals;
        } else if (p instanceof Predicate.In in) {
            field = in.field();
            Set<String> values = new HashSet<>(in.values());
            valueTest = values::contains;
        } else if (p instanceof Predicate.Like like) {
            field = like.field();
            valueTest = Glob.like(like.pattern())::matches;
        } else if (p instanceof Predicate.Contains c) {
            field = c.field();
            String needle = c.ignoreCase() ? TextTerms.asciiLowerCase(c.text()) : c.text();
            valueTest = c.ignoreCase() ? v -> TextTerms.asciiLowerCase(v).contains(needle) : v -> v.contains(needle);
        } else {
            Predicate.Regex regex = (Predicate.Regex) p;
            field = regex.field();
            Pattern pattern = Pattern.compile(regex.pattern());
            valueTest = v -> pattern.matcher(v).find();
        }
        return e -> {
            String value = text(field, e);
            return value != null && valueTest.test(value);
        };
    }
}
