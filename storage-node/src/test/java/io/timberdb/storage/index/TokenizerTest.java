package io.timberdb.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenizerTest {

    private final Tokenizer tokenizer = Tokenizer.DEFAULT;

    @Test
    void indexesLowerCasedWordsOfThreeToFiftyCodePointsSplitOnAsciiNonAlphanumerics() {
        assertThat(tokenizer.tokens("GET /api/v1/Users?id=42 -> 200 OK, took 12ms"))
                .containsExactly("get", "api", "users", "200", "took", "12ms");
        assertThat(tokenizer.tokens("x".repeat(50) + " " + "y".repeat(51))).containsExactly("x".repeat(50));
    }

    @Test
    void nonAsciiCodePointsAreWordCharactersAndKeepTheirCase() {
        assertThat(tokenizer.tokens("Naïve CAFÉ: 日本語 😀x ÀB"))
                .containsExactly("naïve", "cafÉ", "日本語");
        assertThat(tokenizer.tokens("\uD835\uDC00bc")).as("a supplementary letter counts as one code point")
                .containsExactly("\uD835\uDC00bc");
    }

    @Test
    void anUnpairedSurrogateSeparatesWordsLikeTheQuestionMarkUtf8TurnsItInto() {
        assertThat(tokenizer.tokens("abc\uD800def")).containsExactly("abc", "def");
        assertThat(tokenizer.tokens("abc?def")).containsExactly("abc", "def");
    }

    @Test
    void onlyWordsBoundedInsideTheNeedleAreSafeToTest() {
        assertThat(tokenizer.wholeWordTokens("rror")).as("may be the inside of 'error'").isEmpty();
        assertThat(tokenizer.wholeWordTokens("connection refused")).as("first and last words may continue").isEmpty();
        assertThat(tokenizer.wholeWordTokens("an error occurred")).containsExactly("error");
        assertThat(tokenizer.wholeWordTokens(" error ")).containsExactly("error");
        assertThat(tokenizer.wholeWordTokens("GET /api/v1/users 200")).containsExactly("api", "users");
        assertThat(tokenizer.wholeWordTokens("-Request-ID: ")).containsExactly("request");
        assertThat(tokenizer.wholeWordTokens("a b c")).as("too short").isEmpty();
        assertThat(tokenizer.wholeWordTokens("")).isEmpty();
    }

    @Test
    void anUnpairedSurrogateAtAnEndOfTheNeedleIsNotABoundary() {
        // the needle may start inside "\uD835\uDC00bc def ghi": its first char is then half of a letter
        assertThat(tokenizer.wholeWordTokens("\uDC00bcd def ghi")).containsExactly("def");
        assertThat(tokenizer.wholeWordTokens("\uDC00 bcd def")).containsExactly("bcd");
        assertThat(tokenizer.wholeWordTokens("abc def ghi\uD835")).containsExactly("def");
        assertThat(tokenizer.wholeWordTokens("abc def \uD835")).containsExactly("def");
    }

    @Test
    void customWordLengthsApplyToBothSides() {
        Tokenizer shortWords = new Tokenizer(1, 4);
        assertThat(shortWords.tokens("a bb ccccc dddd")).containsExactly("a", "bb", "dddd");
        assertThat(shortWords.wholeWordTokens("x a bb ccccc dddd y")).containsExactly("a", "bb", "dddd");
        assertThatThrownBy(() -> new Tokenizer(0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tokenizer(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tokenizer(3, 256)).isInstanceOf(IllegalArgumentException.class);
    }
}
