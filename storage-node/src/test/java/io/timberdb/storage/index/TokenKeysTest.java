package io.timberdb.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The allocation-free key gathering gives exactly the keys of the tokenizer's tokens, and the same filter bits. */
class TokenKeysTest {

    @Property(tries = 300)
    void givesTheKeysOfEveryTokenExactlyOnce(@ForAll("texts") List<String> texts, @ForAll("tokenizers") Tokenizer tokenizer) {
        Set<BloomFilter.Key> expected = new HashSet<>();
        for (String text : texts) {
            tokenizer.forEachToken(text, token -> expected.add(BloomFilter.key(token)));
        }
        TokenKeys keys = new TokenKeys(tokenizer);
        keys.addTokensOf("SOMETHING to forget"); // cleared below: nothing of it may remain
        keys.clear();
        texts.forEach(keys::addTokensOf);
        assertThat(keys.size()).isEqualTo(expected.size());

        BloomFilter fromStrings = BloomFilter.create(expected.size(), 0.01);
        expected.forEach(fromStrings::put);
        BloomFilter fromKeys = BloomFilter.create(keys.size(), 0.01);
        keys.putInto(fromKeys);
        assertThat(fromKeys.toByteArray()).isEqualTo(fromStrings.toByteArray());
    }

    @Provide
    Arbitrary<List<String>> texts() {
        Arbitrary<String> words = Arbitraries.of("Error", "error", "ERROR", "timeout", "café", "naïve", "日本語", "😀x",
                "a", "ab", "abc", "user42", "ID", "x".repeat(60), "\uD800", "connection-refused", "blk_-123");
        Arbitrary<String> separators = Arbitraries.of(" ", "-", "/", ": ", "\t", "");
        Arbitrary<String> composed = Arbitraries.oneOf(words, separators).list().ofMaxSize(30).map(l -> String.join("", l));
        return Arbitraries.oneOf(composed, Arbitraries.strings().all().ofMaxLength(80)).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<Tokenizer> tokenizers() {
        return Arbitraries.of(Tokenizer.DEFAULT, new Tokenizer(1, 4), new Tokenizer(2, 255));
    }
}
