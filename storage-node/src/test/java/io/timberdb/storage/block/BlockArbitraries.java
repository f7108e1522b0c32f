package io.timberdb.storage.block;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of entries and filters for the block property tests, and the expected stored form. */
public final class BlockArbitraries {

    static final Instant BASE = Instant.parse("2024-07-01T12:00:00Z");
    static final List<String> SOURCES = List.of("web-01", "web-02", "api", "db");
    static final List<String> WORDS = List.of("error", "Error", "ERROR", "timeout", "user", "users", "login", "GET",
            "/api/v1/users", "200", "500", "connection", "refused", "café", "naïve", "日本語", "😀", "x", "ab", "io",
            "retry", "retrying", "disk-full", "a.b.c", "k=v", "id:42");
    static final List<String> SEPARATORS = List.of(" ", " ", " ", "-", "_", ".", "/", "=", ": ", ", ", "\t", "", "😀");

    private BlockArbitraries() {
    }

    // ---- arbitrary entries: anything a LogEntry can hold ----

    public static Arbitrary<LogEntry> anyEntry() {
        return Combinators.combine(anyId(), anyInstant(), anyText(20), anyTags(), anyText(300)).as(LogEntry::new);
    }

    private static Arbitrary<String> anyId() {
        Arbitrary<String> uuids = Arbitraries.longs().tuple2().map(t -> new UUID(t.get1(), t.get2()).toString());
        return Arbitraries.oneOf(uuids, anyText(40), Arbitraries.of("dup", "DUP-ID"));
    }

    private static Arbitrary<Instant> anyInstant() {
        Arbitrary<Instant> nearMillis = Arbitraries.longs().between(0, 3_000).map(BASE::plusMillis);
        Arbitrary<Instant> nearNanos = Arbitraries.longs().between(0, 3_000_000_000L).map(BASE::plusNanos);
        Arbitrary<Instant> anywhere = Combinators.combine(
                Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
                Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond);
        Arbitrary<Instant> extremes = Arbitraries.of(Instant.MIN, Instant.MAX, Instant.EPOCH, BASE,
                Instant.ofEpochSecond(-1, 999_999_999), Instant.parse("2262-04-11T23:47:16.854775808Z"));
        return Arbitraries.frequencyOf(Tuple.of(5, nearMillis), Tuple.of(2, nearNanos), Tuple.of(1, anywhere),
                Tuple.of(2, extremes));
    }

    static Arbitrary<String> anyText(int maxLength) {
        Arbitrary<String> all = Arbitraries.strings().all().ofMaxLength(maxLength);
        Arbitrary<String> tricky = Arbitraries.strings().withChars("aZ9 -?é日\uD83D\uDE00\uD800\uDC00").ofMaxLength(maxLength);
        return Arbitraries.oneOf(all, tricky, Arbitraries.of("", "web-01", "env", "prod"));
    }

    private static Arbitrary<Map<String, String>> anyTags() {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("env", "region", "host"), anyText(10));
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.of("prod", "dev", ""), anyText(10));
        return Arbitraries.maps(keys, values).ofMaxSize(25);
    }

    // ---- realistic entries and filters for pruning ----

    public static Arbitrary<LogEntry> vocabularyEntry() {
        Arbitrary<String> id = Arbitraries.longs().tuple2().map(t -> new UUID(t.get1(), t.get2()).toString());
        Arbitrary<Instant> at = Arbitraries.longs().between(0, 120_000).map(BASE::plusMillis);
        Arbitrary<Map<String, String>> tags = Combinators.combine(
                Arbitraries.of("prod", "dev").injectNull(0.4), Arbitraries.of("eu", "us").injectNull(0.4),
                Arbitraries.of("info", "warn", "error").injectNull(0.4)).as((env, region, level) -> {
                    Map<String, String> map = new TreeMap<>();
                    putIfPresent(map, "env", env);
                    putIfPresent(map, "region", region);
                    putIfPresent(map, "level", level);
                    return map;
                });
        return Combinators.combine(id, at, Arbitraries.of(SOURCES), tags, sentence()).as(LogEntry::new);
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static Arbitrary<String> sentence() {
        Arbitrary<String> piece = Combinators.combine(Arbitraries.of(WORDS), Arbitraries.of(SEPARATORS)).as(String::concat);
        return piece.list().ofMaxSize(12).map(pieces -> String.join("", pieces));
    }

    /** Filters over {@code entries}: time ranges around their timestamps, their sources and tags, needles cut from their messages. */
    static Arbitrary<QueryFilter> filters(List<LogEntry> entries) {
        Arbitrary<String> bound = Arbitraries.longs().between(-1_000, 121_000)
                .map(ms -> BASE.plusMillis(ms).toString()).injectNull(0.3);
        Arbitrary<List<String>> range = Combinators.combine(bound, bound)
                .as((from, to) -> Arrays.asList(from, to)).injectNull(0.4);
        Arbitrary<String> source = Arbitraries.of("web-01", "web-02", "api", "db", "nobody").injectNull(0.5);
        Arbitrary<Map<String, String>> tags = Arbitraries.maps(Arbitraries.of("env", "region", "level", "none"),
                Arbitraries.of("prod", "dev", "eu", "us", "info", "warn", "error")).ofMaxSize(2);
        Arbitrary<String> cut = Combinators.combine(Arbitraries.integers().between(0, entries.size() - 1),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 40)).as((i, from, length) -> {
                    String message = entries.get(i).message();
                    int start = from % (message.length() + 1);
                    return message.substring(start, Math.min(message.length(), start + length));
                });
        Arbitrary<String> word = Combinators.combine(Arbitraries.of(SEPARATORS), Arbitraries.of(WORDS),
                Arbitraries.of(SEPARATORS)).as((a, w, b) -> a + w + b);
        Arbitrary<String> needle = Arbitraries.frequencyOf(Tuple.of(5, cut), Tuple.of(3, word),
                Tuple.of(1, anyText(8))).injectNull(0.2);
        return Combinators.combine(range, source, tags.injectNull(0.5), needle).as(QueryFilter::new);
    }

    // ---- the expected stored form, computed independently of the writer ----

    /** Entries as a block returns them: strings through UTF-8, tags by key, sorted by timestamp then id (stable). */
    static List<LogEntry> storedAndSorted(List<LogEntry> entries) {
        List<LogEntry> stored = new ArrayList<>();
        for (LogEntry entry : entries) {
            Map<String, String> tags = new TreeMap<>();
            entry.tags().forEach((key, value) -> tags.put(utf8(key), utf8(value)));
            stored.add(new LogEntry(utf8(entry.id()), entry.timestamp(), utf8(entry.source()), tags, utf8(entry.message())));
        }
        stored.sort(SealedEntries.BLOCK_ORDER);
        return stored;
    }

    private static String utf8(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
