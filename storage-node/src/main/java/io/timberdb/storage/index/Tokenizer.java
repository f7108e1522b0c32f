package io.timberdb.storage.index;

import io.timberdb.model.query.TextTerms;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Splits text into the words indexed by the token bloom filters (tokenizer version
 * {@value #VERSION}, recorded in every block together with the word lengths it was built with).
 *
 * <h2>Words and tokens</h2>
 * <ul>
 *   <li>A <em>word character</em> is an ASCII letter or digit ({@code [A-Za-z0-9]}) or any
 *       non-ASCII code point: a char {@code >= U+0080}, where a surrogate counts only as half of
 *       a valid pair. Everything else — ASCII punctuation, spaces, control characters and
 *       unpaired surrogates — separates words. The test is the query language's own
 *       ({@link TextTerms#isWordChar}), so that MATCHES and the token filters agree by construction.</li>
 *   <li>A <em>word</em> is a maximal run of word characters. Its length is counted in code points;
 *       words shorter than {@code minWordLength} or longer than {@code maxWordLength} are not
 *       tokens (spec defaults 3 and 50).</li>
 *   <li>The <em>token</em> of a word is the word with ASCII {@code A-Z} lower-cased; other
 *       characters are kept as they are.</li>
 * </ul>
 * The classification and the case folding deliberately use only ASCII rules: the tokens of a
 * stored block must come out the same on every JDK that will ever query it, and Unicode's
 * letter classes and case mappings change between Unicode (hence JDK) versions. A changed
 * classification would make a reader look up a token the writer never produced — a false
 * negative, i.e. a lost query result. Since {@code message_contains} is case-sensitive anyway,
 * folding non-ASCII case would gain no pruning.
 *
 * <h2>Which tokens of a substring needle may be tested</h2>
 * A needle is matched as a case-sensitive substring, so its first and last words may be parts of
 * longer words in the message ({@code "rror"} inside {@code "error"}). {@link #wholeWordTokens}
 * returns only the tokens of words that are bounded on both sides, <em>inside the needle</em>,
 * by a separator: wherever the needle occurs, the same separators bound the same word in the
 * message, so the message has exactly that word and its token is in the page's filter. The first
 * word is safe only when the needle starts with a separator, the last only when it ends with one.
 * An unpaired surrogate at either end of the needle does not count as a separator there: in the
 * message it may be half of a pair, that is a word character. (Stored messages never contain
 * unpaired surrogates: blocks store text as UTF-8, which turns them into {@code '?'}, a separator,
 * and index the stored form.)
 *
 * <p>Immutable; thread-safe.
 */
public final class Tokenizer {

    /** The tokenizer rules above; a block written with other rules records another version. */
    public static final int VERSION = 1;
    public static final int DEFAULT_MIN_WORD_LENGTH = 3;
    public static final int DEFAULT_MAX_WORD_LENGTH = 50;
    /** The largest word length a block can record (one byte). */
    public static final int MAX_CONFIGURABLE_LENGTH = 255;

    /** Words of 3 to 50 code points. */
    public static final Tokenizer DEFAULT = new Tokenizer(DEFAULT_MIN_WORD_LENGTH, DEFAULT_MAX_WORD_LENGTH);

    private final int minWordLength;
    private final int maxWordLength;

    /**
     * @throws IllegalArgumentException unless {@code 1 <= minWordLength <= maxWordLength <= 255}
     */
    public Tokenizer(int minWordLength, int maxWordLength) {
        if (minWordLength < 1 || minWordLength > maxWordLength || maxWordLength > MAX_CONFIGURABLE_LENGTH) {
            throw new IllegalArgumentException("word lengths must satisfy 1 <= min <= max <= "
                    + MAX_CONFIGURABLE_LENGTH + ", got " + minWordLength + ".." + maxWordLength);
        }
        this.minWordLength = minWordLength;
        this.maxWordLength = maxWordLength;
    }

    public int minWordLength() {
        return minWordLength;
    }

    public int maxWordLength() {
        return maxWordLength;
    }

    /** Receives each word of a text as its span {@code [start, end)}. */
    @FunctionalInterface
    interface WordSink {
        void word(String text, int start, int end);
    }

    /** Passes the span of every word of {@code text} (a maximal run of word characters), in order. */
    static void forEachWord(String text, WordSink sink) {
        int length = text.length();
        int i = 0;
        while (i < length) {
            if (!TextTerms.isWordChar(text, i)) {
                i++;
                continue;
            }
            int start = i;
            while (i < length && TextTerms.isWordChar(text, i)) {
                i++;
            }
            sink.word(text, start, i);
        }
    }

    /** Passes the token of every word of {@code text} in order (with repeats) to {@code sink}. */
    public void forEachToken(String text, Consumer<String> sink) {
        forEachWord(text, (t, start, end) -> emit(t, start, end, sink));
    }

    /** The distinct tokens of {@code text}, in first-occurrence order. */
    public Set<String> tokens(String text) {
        Set<String> tokens = new LinkedHashSet<>();
        forEachToken(text, tokens::add);
        return tokens;
    }

    /**
     * The distinct tokens of the words of {@code needle} that are bounded by separators on both
     * sides within the needle (see the class comment): every message that contains {@code needle}
     * as a substring has all of them among its tokens, so a page whose filter lacks one of them
     * holds no match.
     */
    public List<String> wholeWordTokens(String needle) {
        int length = needle.length();
        // an unpaired surrogate at an end of the needle may be half of a pair in the message
        int leftLimit = length > 0 && Character.isLowSurrogate(needle.charAt(0)) ? 1 : 0;
        int rightLimit = length > 0 && Character.isHighSurrogate(needle.charAt(length - 1)) ? length - 1 : length;
        Set<String> tokens = new LinkedHashSet<>();
        forEachWord(needle, (t, start, end) -> {
            if (start > leftLimit && end < rightLimit) {
                emit(t, start, end, tokens::add);
            }
        });
        return new ArrayList<>(tokens);
    }

    void emit(String text, int start, int end, Consumer<String> sink) {
        int codePoints = text.codePointCount(start, end);
        if (codePoints >= minWordLength && codePoints <= maxWordLength) {
            sink.accept(asciiLowerCase(text, start, end));
        }
    }

    private static String asciiLowerCase(String text, int start, int end) {
        char[] chars = null;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (chars == null) {
                    chars = text.substring(start, end).toCharArray();
                }
                chars[i - start] = (char) (c + ('a' - 'A'));
            }
        }
        return chars == null ? text.substring(start, end) : new String(chars);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tokenizer that && minWordLength == that.minWordLength && maxWordLength == that.maxWordLength;
    }

    @Override
    public int hashCode() {
        return 31 * minWordLength + maxWordLength;
    }

    @Override
    public String toString() {
        return "Tokenizer[v" + VERSION + ", words " + minWordLength + ".." + maxWordLength + "]";
    }
}
