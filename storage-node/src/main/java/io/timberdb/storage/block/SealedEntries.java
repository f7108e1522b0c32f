package io.timberdb.storage.block;

import io.timberdb.model.api.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Puts a block's entries in the form they are stored in: sorted by source, then timestamp, then id
 * (a stable sort: equal entries keep their order), tags in key order, and every string as it will read
 * back from UTF-8 — an unpaired surrogate, which UTF-8 cannot hold, becomes {@code '?'} here
 * rather than silently on disk, so that dictionaries, postings and token filters are built from
 * exactly the strings a reader will see.
 *
 * <p>Stateless; thread-safe.
 */
public final class SealedEntries {

    /**
     * The order of entries within a block: by source first, so that the lines of one emitter (which
     * share their templates) sit together in a page and compress far better than interleaved lines,
     * and source postings point at few pages; then by time. Readers do not rely on the order.
     */
    public static final Comparator<LogEntry> BLOCK_ORDER = SealedEntries::compareInBlockOrder;

    private SealedEntries() {
    }

    /** By source, timestamp, then id; sources are mostly the same instances, which skips comparing their chars. */
    private static int compareInBlockOrder(LogEntry a, LogEntry b) {
        if (a.source() != b.source()) {
            int bySource = a.source().compareTo(b.source());
            if (bySource != 0) {
                return bySource;
            }
        }
        int byTime = a.timestamp().compareTo(b.timestamp());
        return byTime != 0 ? byTime : a.id().compareTo(b.id());
    }

    /** {@code entries} (not empty, in any order) as a block holds them: sorted, in stored form; the input is not modified. */
    public static BlockEntries of(List<LogEntry> entries) {
        return new Listed(prepare(entries));
    }

    /** A sorted copy of {@code entries} in stored form; the input is not modified. */
    static List<LogEntry> prepare(List<LogEntry> entries) {
        List<LogEntry> prepared = new ArrayList<>(entries.size());
        for (LogEntry entry : entries) {
            prepared.add(storedForm(entry));
        }
        prepared.sort(BLOCK_ORDER);
        return prepared;
    }

    static LogEntry storedForm(LogEntry entry) {
        Map<String, String> tags = storedForm(entry.tags());
        String id = wellFormed(entry.id());
        String source = wellFormed(entry.source());
        String message = wellFormed(entry.message());
        if (tags == entry.tags() && id == entry.id() && source == entry.source() && message == entry.message()) {
            return entry;
        }
        return new LogEntry(id, entry.timestamp(), source, tags, message);
    }

    /** The tags in key order with well-formed strings; the same map when it already is. */
    public static Map<String, String> storedForm(Map<String, String> tags) {
        String previous = null;
        boolean ready = true;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String key = tag.getKey();
            if ((previous != null && previous.compareTo(key) >= 0) || hasSurrogate(key) || hasSurrogate(tag.getValue())) {
                ready = false;
                break;
            }
            previous = key;
        }
        if (ready) {
            return tags;
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        tags.forEach((key, value) -> sorted.put(wellFormed(key), wellFormed(value)));
        return Collections.unmodifiableMap(sorted);
    }

    /** The length of {@code text}'s UTF-8 encoding; {@code text} is well-formed (surrogates in pairs). */
    static int utf8Length(String text) {
        int bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                // 2 bytes up to U+07FF, 3 for the rest of the BMP, 4 for a pair (2 chars)
                bytes += c < 0x800 ? 1 : Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }

    /** {@code text} as a UTF-8 round trip returns it. */
    static String wellFormed(String text) {
        return hasSurrogate(text) ? new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8) : text;
    }

    private static boolean hasSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Sorted entries held as a list. */
    private static final class Listed implements BlockEntries {

        private final List<LogEntry> sorted;
        private final Summary summary;

        Listed(List<LogEntry> sorted) {
            if (sorted.isEmpty()) {
                throw new IllegalArgumentException("a block needs at least one entry");
            }
            this.sorted = sorted;
            Set<String> sources = new HashSet<>();
            Set<String> keys = new HashSet<>();
            Set<String> values = new HashSet<>();
            // entries decoded from the WAL share their source strings and tag maps: look at each instance once
            Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            Instant lo = sorted.get(0).timestamp();
            Instant hi = lo;
            for (LogEntry entry : sorted) {
                if (seen.add(entry.source())) {
                    sources.add(entry.source());
                }
                if (seen.add(entry.tags())) {
                    keys.addAll(entry.tags().keySet());
                    values.addAll(entry.tags().values());
                }
                lo = entry.timestamp().isBefore(lo) ? entry.timestamp() : lo;
                hi = entry.timestamp().isAfter(hi) ? entry.timestamp() : hi;
            }
            this.summary = new Summary(lo, hi, sources, keys, values);
        }

        @Override
        public int size() {
            return sorted.size();
        }

        @Override
        public int messageBytes(int index) {
            return utf8Length(sorted.get(index).message());
        }

        @Override
        public Summary summary() {
            return summary;
        }

        @Override
        public List<LogEntry> page(int from, int to) {
            return sorted.subList(from, to);
        }
    }
}
