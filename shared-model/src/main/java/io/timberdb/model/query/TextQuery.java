package io.timberdb.model.query;

import java.util.List;
import java.util.Objects;

/**
 * The word search inside {@code message MATCHES '...'}. It is defined on the message's
 * <em>terms</em> (see {@link TextTerms}): the words of the storage tokenizer, ASCII-lower-cased,
 * of any length. Every term, phrase word and pattern held here is already lower-cased.
 */
public sealed interface TextQuery {

    /** One of the term-level queries, the operands of {@link Near}. */
    sealed interface Atom extends TextQuery permits Term, Phrase, Wildcard, Fuzzy {
    }

    /** A word: some term of the message equals it. */
    record Term(String word) implements Atom {
        public Term {
            Objects.requireNonNull(word, "word");
        }
    }

    /** {@code "exact phrase"}: the words occur as consecutive terms of the message (two or more words). */
    record Phrase(List<String> words) implements Atom {
        public Phrase {
            words = List.copyOf(words);
            if (words.size() < 2) {
                throw new IllegalArgumentException("a phrase has two or more words");
            }
        }
    }

    /** {@code test*}, {@code ?est}: some term matches; {@code *} is any run of characters, {@code ?} one. */
    record Wildcard(String pattern) implements Atom {
        public Wildcard {
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /** {@code word~2}: some term is within {@code maxEdits} (0 to 2) Levenshtein edits of the word. */
    record Fuzzy(String word, int maxEdits) implements Atom {
        public Fuzzy {
            Objects.requireNonNull(word, "word");
            if (maxEdits < 0 || maxEdits > 2) {
                throw new IllegalArgumentException("fuzzy edits are 0 to 2, not " + maxEdits);
            }
        }
    }

    /**
     * {@code a NEAR/n b}: an occurrence of {@code a} and one of {@code b}, in either order and not
     * overlapping, with at most {@code distance} terms between them.
     */
    record Near(Atom left, Atom right, int distance) implements TextQuery {
        public Near {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
            if (distance < 0) {
                throw new IllegalArgumentException("NEAR distance is not negative: " + distance);
            }
        }
    }

    /** {@code a AND b}, also written {@code a b}. */
    record And(TextQuery left, TextQuery right) implements TextQuery {
    }

    /** {@code a OR b}. */
    record Or(TextQuery left, TextQuery right) implements TextQuery {
    }

    /** {@code NOT a}. */
    record Not(TextQuery operand) implements TextQuery {
    }
}
