package io.timberdb.storage.block;

import io.timberdb.model.api.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
final class SealedEntries {

    /**
     * The order of entries within a block: by source first, so that the lines of one emitter (which
     * share their templates) sit together in a page and compress far better than interleaved lines,
     * and source postings point at few pages; then by time. Readers do not rely on the order.
     */
    static final Comparator<LogEntry> BLOCK_ORDER = SealedEntries::compareInBlockOrder;

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
    private static Map<String, String> storedForm(Map<String, String> tags) {
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
}
