package io.timberdb.storage.block;

import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import java.util.Arrays;
import java.util.Collection;
import java.util.TreeSet;

/**
 * A block's dictionary of distinct strings (sources, tag keys or tag values), sorted by
 * {@link String#compareTo}; a string's id is its position. Sorted ids make the written bytes
 * independent of entry order and let lookups binary-search.
 *
 * <p>Encoded as a varint count, then the strings ascending (varint UTF-8 length, bytes).
 *
 * <p>Immutable; thread-safe.
 */
final class StringDictionary {

    private final String[] values;

    private StringDictionary(String[] values) {
        this.values = values;
    }

    static StringDictionary of(Collection<String> strings) {
        return new StringDictionary(new TreeSet<>(strings).toArray(new String[0]));
    }

    int size() {
        return values.length;
    }

    /** The id of {@code value}, or -1 when the block does not hold it. */
    int id(String value) {
        int i = Arrays.binarySearch(values, value);
        return i >= 0 ? i : -1;
    }

    /** The string with id {@code id}, which the caller has checked is below {@link #size()}. */
    String value(int id) {
        return values[id];
    }

    long estimatedBytes() {
        long bytes = 16L + values.length * 8L;
        for (String value : values) {
            bytes += 40L + value.length() * 2L;
        }
        return bytes;
    }

    void writeTo(ByteSink sink) {
        sink.varint(values.length);
        for (String value : values) {
            sink.string(value);
        }
    }

    /**
     * @throws CodecException when the bytes are malformed or the strings are not strictly ascending
     *         (a lookup would then miss strings the block holds)
     */
    static StringDictionary read(ByteSource source) {
        int n = source.varint(source.remaining(), "dictionary size");
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            values[i] = source.string();
            if (i > 0 && values[i - 1].compareTo(values[i]) >= 0) {
                throw new CodecException("dictionary is not strictly ascending at id " + i);
            }
        }
        return new StringDictionary(values);
    }
}
