package io.timberdb.model.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a message matches a {@link TextQuery}, by reading its terms in order: the
 * definition of MATCHES, without any index.
 * <ul>
 *   <li>{@link TextQuery.Term}: some term equals the word.</li>
 *   <li>{@link TextQuery.Phrase}: the words occur as consecutive terms.</li>
 *   <li>{@link TextQuery.Wildcard}: some whole term matches the pattern ({@code *} any run of
 *       characters, {@code ?} one code point).</li>
 *   <li>{@link TextQuery.Fuzzy}: some term is at most {@code maxEdits} insertions, deletions or
 *       substitutions of code points away from the word (Levenshtein).</li>
 *   <li>{@link TextQuery.Near}: an occurrence of each side, not overlapping, in either order,
 *       with at most {@code distance} terms between them ({@code NEAR/0}: adjacent).</li>
 *   <li>AND, OR, NOT: as in logic, on the whole message.</li>
 * </ul>
 * Not thread-safe: one per message.
 */
final class TextMatcher {

    private final List<String> terms;

    private TextMatcher(String message) {
        this.terms = TextTerms.of(message);
    }

    static boolean matches(TextQuery query, String message) {
        return new TextMatcher(message).test(query);
    }

    private boolean test(TextQuery q) {
        if (q instanceof TextQuery.And and) {
            return test(and.left()) && test(and.right());
        }
        if (q instanceof TextQuery.Or or) {
            return test(or.left()) || test(or.right());
        }
        if (q instanceof TextQuery.Not not) {
            return !test(not.operand());
        }
        if (q instanceof TextQuery.Near near) {
            return near(occurrences(near.left()), occurrences(near.right()), near.distance());
        }
        return !occurrences((TextQuery.Atom) q).isEmpty();
    }

    /** The spans {@code [start, end)} of term indexes where the atom occurs. */
    private List<int[]> occurrences(TextQuery.Atom atom) {
        List<int[]> spans = new ArrayList<>();
        List<String> words = atom instanceof TextQuery.Phrase phrase ? phrase.words() : List.of();
        Glob glob = atom instanceof TextQuery.Wildcard w ? Glob.wildcard(w.pattern()) : null;
        for (int i = 0; i < terms.size(); i++) {
            String term = terms.get(i);
            if (atom instanceof TextQuery.Term t && term.equals(t.word())
                    || glob != null && glob.matches(term)
                    || atom instanceof TextQuery.Fuzzy f && editDistance(term, f.word(), f.maxEdits()) <= f.maxEdits()) {
                spans.add(new int[] {i, i + 1});
            } else if (!words.isEmpty() && i + words.size() <= terms.size()
                    && terms.subList(i, i + words.size()).equals(words)) {
                spans.add(new int[] {i, i + words.size()});
            }
        }
        return spans;
    }

    private static boolean near(List<int[]> left, List<int[]> right, int distance) {
        for (int[] a : left) {
            for (int[] b : right) {
                int gap = a[1] <= b[0] ? b[0] - a[1] : b[1] <= a[0] ? a[0] - b[1] : -1;
                if (gap >= 0 && gap <= distance) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The Levenshtein distance of two strings in code points, or {@code limit + 1} once it exceeds {@code limit}. */
    static int editDistance(String a, String b, int limit) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        if (Math.abs(x.length - y.length) > limit) {
            return limit + 1;
        }
        int[] previous = new int[y.length + 1];
        int[] current = new int[y.length + 1];
        for (int j = 0; j <= y.length; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length; i++) {
            current[0] = i;
            for (int j = 1; j <= y.length; j++) {
                int substitute = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[y.length], limit + 1);
    }
}
