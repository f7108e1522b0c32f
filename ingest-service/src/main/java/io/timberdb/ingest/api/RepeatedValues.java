package io.timberdb.ingest.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Canonical instances of what repeats from entry to entry of one request: sources, tag values and
 * whole tag sets. A batch of 10,000 entries from a few hundred streams then makes a few hundred
 * of these strings and maps, not tens of thousands: less garbage per entry on the ingest path,
 * and later steps that see the same map instance again (checking and sorting tags) do it once.
 *
 * <p>Both caches are direct-mapped (a slot per hash, the newest value wins a slot): a miss only
 * costs the allocation it would have cost anyway.
 *
 * <p>Used by every ingest protocol's parser (native, Elasticsearch bulk, Loki, OTLP) and by the
 * syslog listener, which keeps one per TCP connection (its tag sets, across batches).
 *
 * <p>Not thread-safe: one per request (or syslog connection).
 */
public final class RepeatedValues {

    /**
     * Direct-mapped slots, several times the distinct values of a typical request (the benchmark's
     * 10,000-entry batches hold ~130 sources, ~280 tag values and ~280 tag sets): with fewer, values
     * that share a slot keep evicting each other. The arrays are per request, a few KiB each.
     */
    private static final int STRING_SLOTS = 4096;
    private static final int TAG_SLOTS = 2048;

    private final String[] strings = new String[STRING_SLOTS];
    private final String[][] tagPairs = new String[TAG_SLOTS][];
    private final Map<?, ?>[] tagMaps = new Map<?, ?>[TAG_SLOTS];

    /** The string of {@code length} chars at {@code offset} of {@code chars}; the same instance as last time when it repeats. */
    public String string(char[] chars, int offset, int length) {
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + chars[i];
        }
        int slot = (h ^ (h >>> 16)) & (STRING_SLOTS - 1);
        String cached = strings[slot];
        if (cached != null && cached.length() == length && sameChars(cached, chars, offset)) {
            return cached;
        }
        String value = new String(chars, offset, length);
        strings[slot] = value;
        return value;
    }

    private static boolean sameChars(String s, char[] chars, int offset) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * An unmodifiable map of the {@code count} (key, value) pairs at the start of {@code pairs},
     * in their order (a repeated key keeps its first place and its last value); the same instance
     * as last time for the same pairs. Values may be null (JSON null), keys may not.
     */
    @SuppressWarnings("unchecked")
    public Map<String, String> tags(String[] pairs, int count) {
        int h = count;
        for (int i = 0; i < 2 * count; i++) {
            h = 31 * h + Objects.hashCode(pairs[i]);
        }
        int slot = (h ^ (h >>> 16)) & (TAG_SLOTS - 1);
        String[] cached = tagPairs[slot];
        if (cached != null && Arrays.equals(cached, 0, cached.length, pairs, 0, 2 * count)) {
            return (Map<String, String>) tagMaps[slot];
        }
        Map<String, String> tags = new LinkedHashMap<>(2 * count);
        for (int i = 0; i < count; i++) {
            tags.put(pairs[2 * i], pairs[2 * i + 1]);
        }
        Map<String, String> value = Collections.unmodifiableMap(tags);
        tagPairs[slot] = Arrays.copyOf(pairs, 2 * count);
        tagMaps[slot] = value;
        return value;
    }

    /** As {@link #tags(String[], int)}, for the pairs of {@code tags} in its order. */
    public Map<String, String> tags(Map<String, String> tags) {
        String[] pairs = new String[2 * tags.size()];
        int i = 0;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            pairs[i++] = tag.getKey();
            pairs[i++] = tag.getValue();
        }
        return tags(pairs, tags.size());
    }
}
