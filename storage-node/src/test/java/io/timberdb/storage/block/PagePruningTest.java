package io.timberdb.storage.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.codec.CompressionSettings;
import io.timberdb.storage.index.Tokenizer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each index prunes what it should; the property tests check that none prunes a match. */
class PagePruningTest {

    private static final Instant T0 = Instant.parse("2024-07-01T00:00:00Z");

    @TempDir
    Path dir;

    private BlockReader reader;

    /** Four pages of ten entries; each page has its own source, env tag, hour and special word. */
    @BeforeEach
    void writeBlock() throws Exception {
        String[] words = {"alpha", "bravo", "charlie", "delta"};
        List<LogEntry> entries = new ArrayList<>();
        for (int page = 0; page < 4; page++) {
            for (int i = 0; i < 10; i++) {
                entries.add(new LogEntry(String.format("0190c3a2-%04x-7000-8000-000000000001", page * 10 + i),
                        T0.plusSeconds(3600L * page + i), "host-" + page, Map.of("env", "e" + page, "common", "yes"),
                        "request " + i + " handled by " + words[page] + "-worker in 3ms"));
            }
        }
        BlockOptions options = new BlockOptions(CompressionSettings.of(Codec.ZSTD), 10, 1 << 20, 0.01, Tokenizer.DEFAULT);
        Path file = dir.resolve("b.tblk");
        new BlockWriter(options).write(file, entries);
        reader = BlockReader.open(file, BlockCache.withDefaults());
    }

    private List<Integer> candidates(List<String> range, String source, Map<String, String> tags, String needle) throws Exception {
        return reader.candidatePages(new QueryFilter(range, source, tags, needle));
    }

    @Test
    void timeRangeKeepsOverlappingPagesWithAnExclusiveEnd() throws Exception {
        assertThat(candidates(List.of("2024-07-01T01:00:00Z", "2024-07-01T02:00:00Z"), null, Map.of(), null)).containsExactly(1);
        assertThat(candidates(List.of("2024-07-01T01:00:09Z", "2024-07-01T02:00:00.000000001Z"), null, Map.of(), null))
                .containsExactly(1, 2);
        assertThat(candidates(Arrays.asList(null, "2024-07-01T00:00:00Z"), null, Map.of(), null)).isEmpty();
        assertThat(candidates(Arrays.asList("2024-07-01T03:00:00Z", null), null, Map.of(), null)).containsExactly(3);
        assertThat(candidates(List.of("2030-01-01T00:00:00Z", "2031-01-01T00:00:00Z"), null, Map.of(), null)).isEmpty();
    }

    @Test
    void sourceAndTagPostingsIntersect() throws Exception {
        assertThat(candidates(null, "host-2", Map.of(), null)).containsExactly(2);
        assertThat(candidates(null, null, Map.of("env", "e3"), null)).containsExactly(3);
        assertThat(candidates(null, null, Map.of("common", "yes"), null)).containsExactly(0, 1, 2, 3);
        assertThat(candidates(null, "host-2", Map.of("env", "e3"), null)).isEmpty();
        assertThat(candidates(null, "host-9", Map.of(), null)).isEmpty();
        assertThat(candidates(null, null, Map.of("env", "e9"), null)).isEmpty();
        assertThat(candidates(null, null, Map.of("missing", "e1"), null)).isEmpty();
    }

    @Test
    void tokenFiltersPruneOnlyByWholeWordsOfTheNeedle() throws Exception {
        assertThat(candidates(null, null, Map.of(), "by charlie-worker")).containsExactly(2);
        assertThat(candidates(null, null, Map.of(), " zulu ")).isEmpty();
        // "harli" may be inside a word: no token is safe, so nothing is pruned
        assertThat(candidates(null, null, Map.of(), "harli")).containsExactly(0, 1, 2, 3);
        assertThat(candidates(null, null, Map.of(), "handled by bravo")).as("last word may continue").containsExactly(0, 1, 2, 3);
        assertThat(candidates(null, null, Map.of(), "handled by bravo-")).containsExactly(1);
    }

    @Test
    void scanReturnsOnlyMatchesOfACandidatePage() throws Exception {
        QueryFilter filter = new QueryFilter(null, "host-1", Map.of(), "request 3 ");
        assertThat(reader.candidatePages(filter)).containsExactly(1);
        assertThat(reader.scan(filter, 1)).extracting(LogEntry::message).containsExactly("request 3 handled by bravo-worker in 3ms");
        assertThat(reader.scan(filter, 0)).isEmpty();
    }

    @AfterEach
    void close() throws Exception {
        reader.close();
    }
}
