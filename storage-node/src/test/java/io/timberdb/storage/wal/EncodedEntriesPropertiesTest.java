package io.timberdb.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The WAL's entry encoding round-trips, and its indexing refuses what does not parse. */
class EncodedEntriesPropertiesTest {

    @Property(tries = 300)
    void entriesRoundTripThroughOneDecoder(@ForAll("batches") List<LogEntry> entries) {
        EncodedEntries encoded = EncodedEntries.encode(entries);
        EntryDecoder decoder = new EntryDecoder(); // one decoder: its caches must never mix two entries up
        List<LogEntry> decoded = new ArrayList<>();
        for (int i = 0; i < encoded.size(); i++) {
            decoded.add(decoder.decode(encoded, i));
        }
        assertThat(decoded).isEqualTo(entries);
        for (int i = 0; i < entries.size(); i++) {
            assertThat(decoded.get(i).tags().keySet()).containsExactlyElementsOf(entries.get(i).tags().keySet());
        }
        assertThat(encoded).as("the List view decodes the same").isEqualTo(entries);
        for (int i = 0; i < entries.size(); i++) {
            assertThat(encoded.epochSecond(i)).isEqualTo(entries.get(i).timestamp().getEpochSecond());
        }
    }

    @Property(tries = 300)
    void indexingFindsTheSameEntriesAndRefusesATruncatedBatch(@ForAll("batches") List<LogEntry> entries) {
        EncodedEntries encoded = EncodedEntries.encode(entries);
        byte[] bytes = encoded.toByteArray();
        assertThat(EncodedEntries.index(bytes, 0, bytes.length, entries.size())).isEqualTo(entries);
        if (bytes.length > 0) {
            assertThatThrownBy(() -> EncodedEntries.index(bytes, 0, bytes.length - 1, entries.size()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> EncodedEntries.index(bytes, 0, bytes.length, entries.size() + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<List<LogEntry>> batches() {
        // few sources and tag sets, so that the encoder's and decoder's caches hit, miss and collide;
        // two equal tag maps in different orders, each of which must keep its own order
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(40).filter(EncodedEntriesPropertiesTest::wellFormed);
        Arbitrary<String> source = Arbitraries.oneOf(Arbitraries.of("web-01", "web-02", "db", "", "日本"), text);
        Arbitrary<Map<String, String>> tags = Arbitraries.oneOf(
                Arbitraries.of(Map.of(), Map.of("level", "info"), Map.of("level", "error"), ordered("a", "1", "b", "2"),
                        ordered("b", "2", "a", "1")),
                Arbitraries.maps(text, text).ofMaxSize(4).map(LinkedHashMap::new));
        Arbitrary<Instant> time = Combinators.combine(
                Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
                Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond);
        Arbitrary<LogEntry> entry = Combinators.combine(text, time, source, tags,
                Arbitraries.strings().all().ofMaxLength(500).filter(EncodedEntriesPropertiesTest::wellFormed))
                .as(LogEntry::new);
        return entry.list().ofMaxSize(60);
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Strings UTF-8 can hold (no unpaired surrogate): those round-trip exactly. */
    private static boolean wellFormed(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
    }
}
