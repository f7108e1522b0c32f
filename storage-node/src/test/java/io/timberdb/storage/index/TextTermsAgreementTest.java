package io.timberdb.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.query.TextTerms;
import java.util.LinkedHashSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The query language defines MATCHES on {@link TextTerms} (shared-model), which must be the
 * tokenizer's words exactly: the tokens of a text are its terms whose length is within the
 * tokenizer's word lengths. Otherwise pruning a block by its token filter could lose a match.
 */
class TextTermsAgreementTest {

    @Property(tries = 500)
    void theTokensAreTheTermsOfTokenLength(@ForAll("texts") String text,
            @ForAll @IntRange(min = 1, max = 4) int minLength, @ForAll @IntRange(max = 6) int extra) {
        Tokenizer tokenizer = new Tokenizer(minLength, minLength + extra);
        Set<String> expected = new LinkedHashSet<>();
        for (String term : TextTerms.of(text)) {
            int length = term.codePointCount(0, term.length());
            if (length >= minLength && length <= minLength + extra) {
                expected.add(term);
            }
        }

        assertThat(tokenizer.tokens(text)).containsExactlyElementsOf(expected);
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> pieces = Arbitraries.of("a", "B", "c", "7", " ", "-", "_", ".", "é", "É", "日", "😀",
                "\uD835\uDC00", "\uD800", "\uDC00", "\t", "Zz", "?", "ß", "\u212A", "\u00A0");
        Arbitrary<String> built = pieces.list().ofMaxSize(60).map(list -> String.join("", list));
        return Arbitraries.frequencyOf(Tuple.of(4, built), Tuple.of(1, Arbitraries.strings().all().ofMaxLength(60)));
    }
}
