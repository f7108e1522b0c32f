package io.timberdb.model.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The semantics of MATCHES, one search against one message at a time. */
class TextMatcherTest {

    private static boolean matches(String search, String message) {
        Query q = QueryParser.parse("SELECT * FROM l WHERE message MATCHES '" + search.replace("'", "''") + "'");
        return TextMatcher.matches(((Predicate.Matches) q.where()).query(), message);
    }

    @ParameterizedTest(name = "[{0}] on [{1}] is {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            error                 | Disk ERROR on /dev/sda                      | true
            error                 | errors: 3                                   | false
            ERR*                  | errors: 3                                   | true
            error                 | an_error_here                               | true
            e                     | a e i                                       | true
            "disk full"           | write failed: disk full                     | true
            "disk full"           | disk is full                                | false
            "full disk"           | disk full                                   | false
            "disk, full!"         | DISK   full                                 | true
            10.0.0.1              | from 10.0.0.1:22                            | true
            10.0.0.1              | from 10.0.0.12                              | false
            blk_123               | block blk_123 done                          | true
            blk_123               | blk 123                                     | true
            te?t                  | a text here                                 | true
            te?t                  | a tet here                                  | false
            *ing                  | receiving block                             | true
            t*t                   | tt                                          | true
            naïve                 | NAÏVE and naïve                             | true
            Naïve                 | NAÏVE                                       | false
            connetion~1           | Connection reset                            | true
            conection~1           | Connection reset                            | true
            conextion~1           | Connection reset                            | false
            conextion~2           | Connection reset                            | true
            conextion~            | Connection reset                            | true
            connection~0          | Connection reset                            | true
            a NEAR/0 b            | a b                                         | true
            a NEAR/0 b            | b a                                         | true
            a NEAR/0 b            | a x b                                       | false
            a NEAR/1 b            | a x b                                       | true
            a NEAR b              | a 1 2 3 4 5 b                               | true
            a NEAR b              | a 1 2 3 4 5 6 b                             | false
            a NEAR/0 a            | a                                           | false
            a NEAR/0 a            | a a                                         | true
            "x y" NEAR/1 z        | z q x y                                     | true
            "x y" NEAR/1 z        | x y q q z                                   | false
            user NEAR/2 fail*     | user root failed                            | true
            a b                   | b then a                                    | true
            a AND b               | only a                                      | false
            a OR b                | only b                                      | true
            NOT a                 | b                                           | true
            NOT a                 | a                                           | false
            a AND NOT b OR c      | c                                           | true
            a AND NOT (b OR c)    | a c                                         | false
            NOT NOT a             | a                                           | true
            and                   | this and that                               | true
            not                   | nothing                                     | false
            """)
    void matchesTheTermsOfTheMessage(String search, String message, boolean expected) {
        assertThat(matches(search, message)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} to {1} is {2}")
    @CsvSource({"kitten, sitting, 3", "flaw, lawn, 2", "abc, abc, 0", "日本, 日本語, 1", "ab, ba, 2"})
    void editDistanceCountsCodePointEdits(String a, String b, int distance) {
        assertThat(TextMatcher.editDistance(a, b, 5)).isEqualTo(distance);
        assertThat(TextMatcher.editDistance(a, b, 1)).isEqualTo(Math.min(distance, 2));
    }
}
