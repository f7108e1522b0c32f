package io.timberdb.model.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RequiredTermsTest {

    private static TextQuery search(String text) {
        Query q = QueryParser.parse("SELECT * FROM l WHERE message MATCHES '" + text + "'");
        return ((Predicate.Matches) q.where()).query();
    }

    @Test
    void requiresWordsPhrasesAndNearSidesButNothingFromNotWildcardsOrFuzzyWords() {
        assertThat(RequiredTerms.of(search("error \"disk full\""))).containsExactly("error", "disk", "full");
        assertThat(RequiredTerms.of(search("failed NEAR/3 password"))).containsExactly("failed", "password");
        assertThat(RequiredTerms.of(search("(disk AND error) OR (disk AND warn)"))).containsExactly("disk");
        assertThat(RequiredTerms.of(search("error OR warn"))).isEmpty();
        assertThat(RequiredTerms.of(search("NOT error"))).isEmpty();
        assertThat(RequiredTerms.of(search("err* pasword~1 ssh"))).containsExactly("ssh");
    }

    @Provide
    Arbitrary<String> messages() {
        return Arbitraries.of("a", "b", "ab", "abc", "ba", "c").list().ofMaxSize(8).map(words -> String.join(" ", words));
    }

    @Provide
    Arbitrary<TextQuery> searches() {
        Arbitrary<TextQuery.Atom> atom = Arbitraries.oneOf(
                Arbitraries.of("a", "b", "ab", "abc", "c").map(TextQuery.Term::new),
                Arbitraries.of(List.of("a", "b"), List.of("b", "a", "c")).map(TextQuery.Phrase::new),
                Arbitraries.of("a*", "?b").map(TextQuery.Wildcard::new),
                Arbitraries.of("ab", "ba").map(w -> new TextQuery.Fuzzy(w, 1)));
        return QueryArbitraries.booleans(Arbitraries.oneOf(atom.map(a -> (TextQuery) a),
                net.jqwik.api.Combinators.combine(atom, atom, Arbitraries.integers().between(0, 2)).as(TextQuery.Near::new)),
                3);
    }

    @Property(tries = 2000)
    void aMatchingMessageHasEveryRequiredTerm(@ForAll("searches") TextQuery search, @ForAll("messages") String message) {
        if (TextMatcher.matches(search, message)) {
            assertThat(TextTerms.of(message)).containsAll(RequiredTerms.of(search));
        }
    }
}
