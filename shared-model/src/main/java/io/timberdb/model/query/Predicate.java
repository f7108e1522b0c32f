package io.timberdb.model.query;

import java.util.List;
import java.util.Objects;

/**
 * A WHERE condition. Every condition is two-valued: a condition on a tag the entry lacks is
 * false, so its negation ({@link Not}, {@code !=}) is true. Text comparisons are exact and
 * case-sensitive unless the operator says otherwise. Components are never null (the
 * combinators {@link And}, {@link Or} and {@link Not} leave that to their builder).
 */
public sealed interface Predicate {

    /** {@code left AND right}. */
    record And(Predicate left, Predicate right) implements Predicate {
    }

    /** {@code left OR right}. */
    record Or(Predicate left, Predicate right) implements Predicate {
    }

    /** {@code NOT operand}; also what {@code NOT IN}, {@code NOT LIKE}, {@code !~} etc. are read as. */
    record Not(Predicate operand) implements Predicate {
    }

    /** {@code time <op> value}. */
    record TimeCompare(CompareOp op, TimeValue value) implements Predicate {
        public TimeCompare {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code time BETWEEN from AND to}: both ends inclusive. */
    record TimeBetween(TimeValue from, TimeValue to) implements Predicate {
        public TimeBetween {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /** {@code field = 'value'} or {@code field != 'value'} on a text field. */
    record Compare(Field field, CompareOp op, String value) implements Predicate {
        public Compare {
            requireText(field);
            Objects.requireNonNull(value, "value");
            if (op != CompareOp.EQ && op != CompareOp.NE) {
                throw new IllegalArgumentException("text fields compare with = and != only, not " + op);
            }
        }
    }

    /** {@code field IN ('a', 'b', ...)}: equal to one of the values (at least one). */
    record In(Field field, List<String> values) implements Predicate {
        public In {
            requireText(field);
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("IN needs at least one value");
            }
        }
    }

    /** {@code EXISTS tags.k}: the entry has the tag (with any value, even empty). */
    record Exists(Field tag) implements Predicate {
        public Exists {
            Objects.requireNonNull(tag, "tag");
            if (tag.kind() != Field.Kind.TAG) {
                throw new IllegalArgumentException("EXISTS takes a tag, not " + tag);
            }
        }
    }

    /**
     * {@code field LIKE 'pattern'}: the whole value matches; {@code %} stands for any run of
     * characters, {@code _} for exactly one (code point), {@code \} makes the next {@code %},
     * {@code _} or {@code \} literal. Case-sensitive.
     */
    record Like(Field field, String pattern) implements Predicate {
        public Like {
            requireText(field);
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /**
     * {@code field CONTAINS 'text'} (case-sensitive substring) or {@code field ICONTAINS 'text'}
     * (substring ignoring the case of ASCII letters only, like the token index).
     */
    record Contains(Field field, String text, boolean ignoreCase) implements Predicate {
        public Contains {
            requireText(field);
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code message MATCHES '...'}: a word search on the message, see {@link TextQuery}. */
    record Matches(TextQuery query) implements Predicate {
        public Matches {
            Objects.requireNonNull(query, "query");
        }
    }

    /** {@code field ~ 'regex'}: RE2 syntax, found anywhere in the value unless anchored. */
    record Regex(Field field, String pattern) implements Predicate {
        public Regex {
            requireText(field);
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    private static void requireText(Field field) {
        Objects.requireNonNull(field, "field");
        if (!field.isText()) {
            throw new IllegalArgumentException("this condition takes a text field, not time");
        }
    }
}
