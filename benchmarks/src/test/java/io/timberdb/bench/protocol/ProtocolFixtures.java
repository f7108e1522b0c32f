package io.timberdb.bench.protocol;

import io.timberdb.bench.data.GeneratedEntry;
import io.timberdb.bench.data.LoghubGenerator;
import io.timberdb.bench.data.LoghubSamples;
import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.api.LogEntry;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the encoder tests share: a batch of generated entries from the test's loghub fixture plus
 * hand-made ones with the characters each wire format must escape, and the entries the server
 * stores for them, compared as the write path checks them ({@link LogEntryInput#toEntry}).
 */
public final class ProtocolFixtures {

    /** The write path's clock for entries without a timestamp; the fixtures all have one. */
    private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

    private ProtocolFixtures() {
    }

    /** 2,500 entries of the fixture (with and without a component) and three awkward ones. */
    public static List<GeneratedEntry> batch() {
        List<GeneratedEntry> batch = new ArrayList<>();
        try {
            LoghubGenerator generator = new LoghubGenerator(LoghubSamples.load(Path.of(
                    ProtocolFixtures.class.getResource("/loghub-fixture").toURI())), 7, 2_500);
            for (long i = 0; i < generator.count(); i++) {
                batch.add(generator.entry(i));
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        batch.add(new GeneratedEntry(2_500, 1_792_000_000L, 0, "Odd", "odd-node-01", "warn", "a \"quoted\" \\ comp",
                "line with \"quotes\", a \\ backslash,\na newline, a tab\tand ünïcödé ✓ 𝄞"));
        batch.add(new GeneratedEntry(2_501, 1_792_000_000L, 999_999_999, "Odd", "odd-node-02", "notice", null, "{not json}"));
        batch.add(new GeneratedEntry(2_502, 1_792_000_001L, 1, "Odd", "odd-node-01", "fatal", "x", "last"));
        return batch;
    }

    /**
     * The entries the server should store for {@code batch}, in timestamp order, each with the tag
     * {@code sourceTag} = its source added when not null (Loki's and OTLP's mappings keep the
     * label or attribute the source came from as a tag).
     */
    public static List<LogEntry> expected(List<GeneratedEntry> batch, String sourceTag) {
        return stored(batch.stream().map(e -> {
            Map<String, String> tags = new LinkedHashMap<>(e.tags());
            if (sourceTag != null) {
                tags.put(sourceTag, e.source());
            }
            return new LogEntryInput(e.timestamp().toString(), e.source(), tags, e.message());
        }).toList());
    }

    /** The entries the write path makes of {@code inputs}, in timestamp order (then message). */
    public static List<LogEntry> stored(List<LogEntryInput> inputs) {
        return inputs.stream().map(input -> input.toEntry("", "id", NOW))
                .sorted(Comparator.comparing(LogEntry::timestamp).thenComparing(LogEntry::message))
                .toList();
    }

    /** {@link #stored} after mapping each of {@code items}. */
    public static <T> List<LogEntry> stored(List<T> items, Function<T, LogEntryInput> map) {
        return stored(items.stream().map(map).toList());
    }
}
