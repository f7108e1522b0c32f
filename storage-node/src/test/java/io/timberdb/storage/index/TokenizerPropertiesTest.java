package io.timberdb.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The rule that makes bloom pruning safe: whatever substring of a stored message a query asks
 * for, every token derived from it is among the message's tokens.
 */
class TokenizerPropertiesTest {

    @Property(tries = 200)
    void everyWholeWordTokenOfASubstringIsATokenOfTheMessage(@ForAll("messages") String text,
            @ForAll @IntRange(max = 10_000) int a, @ForAll @IntRange(max = 10_000) int b,
            @ForAll @IntRange(min = 1, max = 4) int minLength) {
        String message = stored(text);
        int from = Math.min(a, b) % (message.length() + 1);
        int to = from + Math.abs(a - b) % (message.length() - from + 1);
        Tokenizer tokenizer = new Tokenizer(minLength, minLength + 5);
        String needle = message.substring(from, to);
        assertThat(tokenizer.tokens(message)).containsAll(tokenizer.wholeWordTokens(needle));
    }

    /** Messages as blocks store them: through UTF-8, which replaces unpaired surrogates. */
    private static String stored(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<String> messages() {
        // a small alphabet hits word boundaries, case, non-ASCII and surrogate pairs often
        Arbitrary<String> pieces = Arbitraries.of("a", "B", "c", "7", " ", "-", ".", "/", "é", "日", "😀",
                "\uD835\uDC00", "\uD800", "\uDC00", "\t", "Zz", "?", "ß");
        Arbitrary<String> built = pieces.list().ofMaxSize(60).map(list -> String.join("", list));
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(60);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, built), net.jqwik.api.Tuple.of(1, anything));
    }
}
