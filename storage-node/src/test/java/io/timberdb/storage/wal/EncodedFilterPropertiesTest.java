package io.timberdb.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The byte-level pre-filter never rules out an entry the exact predicate would match, and does rule out others. */
class EncodedFilterPropertiesTest {

    static final Instant BASE = Instant.parse("2026-11-26T00:00:00Z");

    @Property(tries = 400)
    void neverRulesOutAMatch(@ForAll("entries") List<LogEntry> entries, @ForAll("filterSeeds") List<Integer> seeds) {
        EncodedEntries batch = EncodedEntries.encode(entries);
        for (QueryFilter filter : filtersFrom(entries, seeds)) {
            Predicate<LogEntry> exact = filter.toPredicate();
            EncodedFilter pre = EncodedFilter.of(filter);
            for (int i = 0; i < entries.size(); i++) {
                boolean matches = exact.test(entries.get(i));
                if (matches) {
                    assertThat(pre.mayMatch(batch, i)).as("%s must let %s through", filter, entries.get(i)).isTrue();
                }
            }
        }
    }

    @Property(tries = 100)
    void rulesOutEntriesOfAnotherSourceOrTimeOrTag(@ForAll("entries") List<LogEntry> entries) {
        EncodedEntries batch = EncodedEntries.encode(entries);
        EncodedFilter otherSource = EncodedFilter.of(new QueryFilter(null, "no-such-source", Map.of(), null));
        EncodedFilter later = EncodedFilter.of(new QueryFilter(Arrays.asList(BASE.plusSeconds(10_000).toString(), null), null,
                Map.of(), null));
        EncodedFilter otherTag = EncodedFilter.of(new QueryFilter(null, null, Map.of("level", "no-such-level"), null));
        EncodedFilter otherWord = EncodedFilter.of(new QueryFilter(null, null, Map.of(), "no-such-word"));
        for (int i = 0; i < entries.size(); i++) {
            assertThat(otherSource.mayMatch(batch, i)).isFalse();
            assertThat(later.mayMatch(batch, i)).isFalse();
            assertThat(otherTag.mayMatch(batch, i)).isFalse();
            assertThat(otherWord.mayMatch(batch, i)).isFalse();
        }
    }

    /** Filters whose conditions come from the entries themselves, so that some match. */
    private static List<QueryFilter> filtersFrom(List<LogEntry> entries, List<Integer> seeds) {
        List<QueryFilter> filters = new ArrayList<>();
        if (entries.isEmpty()) {
            return filters;
        }
        for (int seed : seeds) {
            LogEntry e = entries.get(Math.floorMod(seed, entries.size()));
            Map<String, String> tags = new LinkedHashMap<>();
            if ((seed & 4) != 0 && !e.tags().isEmpty()) {
                Map.Entry<String, String> first = e.tags().entrySet().iterator().next();
                tags.put(first.getKey(), first.getValue());
            }
            String needle = (seed & 8) != 0 && e.message().length() > 2
                    ? e.message().substring(1, Math.min(e.message().length(), 1 + Math.floorMod(seed >> 8, 30))) : null;
            List<String> range = (seed & 16) != 0
                    ? List.of(e.timestamp().minusNanos(Math.floorMod(seed, 3)).toString(), e.timestamp().plusNanos(1).toString())
                    : null;
            filters.add(new QueryFilter(range, (seed & 2) != 0 ? e.source() : null, tags, needle));
        }
        return filters;
    }

    @Provide
    Arbitrary<List<Integer>> filterSeeds() {
        return Arbitraries.integers().list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<LogEntry>> entries() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.of("web-01", "db", "日本語", "café", "error", "x"),
                Arbitraries.strings().withChars("abcé日 -😀").ofMaxLength(20));
        Arbitrary<Map<String, String>> tags = Arbitraries.oneOf(Arbitraries.of(Map.of(), Map.of("level", "info"),
                Map.of("level", "error", "zone", "eu")), Arbitraries.maps(text, text).ofMaxSize(3).map(LinkedHashMap::new));
        Arbitrary<Instant> time = Arbitraries.longs().between(0, 5_000_000_000L).map(BASE::plusNanos);
        return Combinators.combine(Arbitraries.strings().alpha().ofLength(8), time, text, tags,
                Arbitraries.strings().withChars("abc éx日😀:-").ofMaxLength(60)).as(LogEntry::new).list().ofMaxSize(30);
    }
}
