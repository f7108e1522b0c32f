package io.timberdb.model.query;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The terms every message matching a MATCHES search contains: what a block's token filter may be
 * asked for. A block whose filter lacks one of them (of a length the block indexes) holds no match.
 * <ul>
 *   <li>a word: itself; a phrase: its words; {@code a NEAR/n b}: those of both sides;</li>
 *   <li>{@code a AND b}: those of either side; {@code a OR b}: those both sides require;</li>
 *   <li>wildcards, fuzzy words and {@code NOT}: none (a hashed filter cannot enumerate or exclude).</li>
 * </ul>
 * Stateless; thread-safe.
 */
public final class RequiredTerms {

    private RequiredTerms() {
    }

    /** The terms, in no particular order; empty when the search cannot prune. */
    public static Set<String> of(TextQuery query) {
        Set<String> terms = new LinkedHashSet<>();
        if (query instanceof TextQuery.Term term) {
            terms.add(term.word());
        } else if (query instanceof TextQuery.Phrase phrase) {
            terms.addAll(phrase.words());
        } else if (query instanceof TextQuery.Near near) {
            terms.addAll(of(near.left()));
            terms.addAll(of(near.right()));
        } else if (query instanceof TextQuery.And and) {
            terms.addAll(of(and.left()));
            terms.addAll(of(and.right()));
        } else if (query instanceof TextQuery.Or or) {
            terms.addAll(of(or.left()));
            terms.retainAll(of(or.right()));
        }
        return terms;
    }
}
