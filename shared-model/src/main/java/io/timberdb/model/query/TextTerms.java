package io.timberdb.model.query;

import java.util.ArrayList;
import java.util.List;

/**
 * The terms of a text, on which {@code MATCHES} is defined. They follow the word rules of the
 * storage tokenizer ({@code io.timberdb.storage.index.Tokenizer}, version 1) exactly:
 * <ul>
 *   <li>a word character is an ASCII letter or digit or any char {@code >= U+0080}, where a
 *       surrogate counts only as half of a valid pair; everything else separates words;</li>
 *   <li>a word is a maximal run of word characters; its term is the word with ASCII {@code A-Z}
 *       lower-cased (other characters are kept).</li>
 * </ul>
 * Unlike the tokenizer's tokens, terms have no length limit: the tokens of a block are exactly its
 * terms whose length (in code points) lies within the block's word lengths. So a query term that
 * has a token's length may be looked up in a block's token filter — a block whose filter lacks it
 * holds no entry with that term — and any other term simply cannot prune. The semantics thus
 * do not depend on how a block was configured.
 *
 * <p>Stateless; thread-safe.
 */
public final class TextTerms {

    private TextTerms() {
    }

    /** The terms of {@code text} in order, with repeats. */
    public static List<String> of(String text) {
        List<String> terms = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (isWordChar(text, i)) {
                int start = i;
                while (i < n && isWordChar(text, i)) {
                    i++;
                }
                terms.add(asciiLowerCase(text.substring(start, i)));
            } else {
                i++;
            }
        }
        return terms;
    }

    /** Whether the char at {@code i} of {@code text} is a word character. */
    public static boolean isWordChar(String text, int i) {
        char c = text.charAt(i);
        if (c >= 0x80) {
            if (Character.isHighSurrogate(c)) {
                return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            }
            return !Character.isLowSurrogate(c) || i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
        }
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** {@code s} with ASCII {@code A-Z} lower-cased and every other char kept. */
    public static String asciiLowerCase(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                out.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return out == null ? s : out.toString();
    }
}
