package io.timberdb.model.query;

/**
 * Whole-value patterns of code points with two wildcards, "any run" and "exactly one": LIKE's
 * {@code %} and {@code _}, MATCHES' {@code *} and {@code ?}. Matching is greedy with backtracking
 * to the last "any run", O(pattern × value) at worst.
 *
 * <p>Immutable; thread-safe.
 */
final class Glob {

    private static final int ANY = -1;
    private static final int ONE = -2;

    private final int[] pattern;

    private Glob(int[] pattern) {
        this.pattern = pattern;
    }

    /** A LIKE pattern: {@code %} any run, {@code _} one, {@code \} escapes {@code %}, {@code _} and itself. */
    static Glob like(String pattern) {
        int[] out = new int[pattern.length()];
        int n = 0;
        for (int i = 0; i < pattern.length(); ) {
            int c = pattern.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\\' && i < pattern.length()) {
                c = pattern.codePointAt(i);
                i += Character.charCount(c);
                out[n++] = c;
            } else {
                out[n++] = c == '%' ? ANY : c == '_' ? ONE : c;
            }
        }
        return new Glob(java.util.Arrays.copyOf(out, n));
    }

    /** The index of the first {@code \} in a LIKE pattern that escapes nothing it may, or -1. */
    static int badLikeEscape(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) == '\\') {
                char next = i + 1 < pattern.length() ? pattern.charAt(i + 1) : 0;
                if (next != '%' && next != '_' && next != '\\') {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }

    /** A MATCHES wildcard: {@code *} any run, {@code ?} one. */
    static Glob wildcard(String pattern) {
        return new Glob(pattern.codePoints().map(c -> c == '*' ? ANY : c == '?' ? ONE : c).toArray());
    }

    /** Whether the whole of {@code value} matches. */
    boolean matches(String value) {
        int[] v = value.codePoints().toArray();
        int p = 0;
        int i = 0;
        int starP = -1;
        int starI = 0;
        while (i < v.length) {
            if (p < pattern.length && (pattern[p] == ONE || pattern[p] == v[i])) {
                p++;
                i++;
            } else if (p < pattern.length && pattern[p] == ANY) {
                starP = p++;
                starI = i;
            } else if (starP >= 0) {
                p = starP + 1;
                i = ++starI;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == ANY) {
            p++;
        }
        return p == pattern.length;
    }
}
