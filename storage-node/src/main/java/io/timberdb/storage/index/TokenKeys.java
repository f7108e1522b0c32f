package io.timberdb.storage.index;

import io.timberdb.model.hash.Murmur3;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The distinct bloom keys ({@link BloomFilter#key}) of the tokens of many texts, gathered without
 * a {@code String} per token: an ASCII token is lower-cased into a reused buffer and hashed from
 * there, and the keys are kept in an open-addressing table of {@code long} pairs. It gives exactly
 * the keys of {@code BloomFilter.key(token)} for every token of {@link Tokenizer#forEachToken}; a
 * page's token filter is built from it when a block is sealed, where per-token strings and a
 * {@code HashSet} of them were a fifth of the sealing time.
 *
 * <p>Not thread-safe: one per block being written; {@link #clear()} between pages.
 */
public final class TokenKeys {

    private final Tokenizer tokenizer;
    private final long[] hash = new long[2];
    /** {@link #word}, made once: a method reference per text would allocate on the sealing path. */
    private final Tokenizer.WordSink onWord = this::word;
    private byte[] buffer = new byte[64];
    /** Pairs (h1, h2) at [2i, 2i + 1]; a slot is free when both are 0 (a real key of two zeros is kept apart). */
    private long[] table = new long[2 * 1024];
    private int size;
    private boolean hasZeroKey;

    public TokenKeys(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds the keys of every token of {@code text}. */
    public void addTokensOf(String text) {
        Tokenizer.forEachWord(text, onWord);
    }

    private void word(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (text.charAt(i) >= 0x80) {
                tokenizer.emit(text, start, end, token -> {
                    byte[] utf8 = token.getBytes(StandardCharsets.UTF_8);
                    Murmur3.hash128(utf8, 0, utf8.length, 0, hash);
                    add(hash[0], hash[1]);
                });
                return;
            }
        }
        addAscii(text, start, end);
    }

    private void addAscii(String text, int start, int end) {
        int length = end - start;
        if (length < tokenizer.minWordLength() || length > tokenizer.maxWordLength()) {
            return;
        }
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, buffer.length * 2)];
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(start + i);
            buffer[i] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        Murmur3.hash128(buffer, 0, length, 0, hash);
        add(hash[0], hash[1]);
    }

    private void add(long h1, long h2) {
        if (h1 == 0 && h2 == 0) {
            if (!hasZeroKey) {
                hasZeroKey = true;
                size++;
            }
            return;
        }
        if (2 * (size + 1) > table.length / 2) { // keep the load under a half
            grow();
        }
        if (insert(table, h1, h2)) {
            size++;
        }
    }

    /** Puts the key into {@code into} unless it is there; whether it was not. */
    private static boolean insert(long[] into, long h1, long h2) {
        int mask = into.length / 2 - 1;
        for (int slot = (int) (h1 ^ (h1 >>> 32)) & mask; ; slot = (slot + 1) & mask) {
            long a = into[2 * slot];
            long b = into[2 * slot + 1];
            if (a == 0 && b == 0) {
                into[2 * slot] = h1;
                into[2 * slot + 1] = h2;
                return true;
            }
            if (a == h1 && b == h2) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0 || old[i + 1] != 0) {
                insert(table, old[i], old[i + 1]);
            }
        }
    }

    /** How many distinct keys were added since the last {@link #clear()}. */
    public int size() {
        return size;
    }

    /** Puts every key into {@code filter}. */
    public void putInto(BloomFilter filter) {
        if (hasZeroKey) {
            filter.put(new BloomFilter.Key(0, 0));
        }
        for (int i = 0; i < table.length; i += 2) {
            if (table[i] != 0 || table[i + 1] != 0) {
                filter.put(table[i], table[i + 1]);
            }
        }
    }

    /** Forgets every key (keeps the table's capacity). */
    public void clear() {
        Arrays.fill(table, 0);
        size = 0;
        hasZeroKey = false;
    }
}
