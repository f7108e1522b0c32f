package io.timberdb.query.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.timberdb.model.api.LogEntry;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EntryMergeTest {

    static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
    static final Comparator<LogEntry> NEWEST_FIRST = LogEntry.NEWEST_FIRST;
    static final Comparator<LogEntry> OLDEST_FIRST = LogEntry.NEWEST_FIRST.reversed();

    static LogEntry entry(String id, int second) {
        return new LogEntry(id, T0.plusSeconds(second), "s", Map.of(), "m");
    }

    static List<String> ids(List<LogEntry> entries) {
        return entries.stream().map(LogEntry::id).toList();
    }

    @Test
    void interleavesTheShardsNewestFirst() {
        List<LogEntry> merged = EntryMerge.firstDistinct(List.of(
                List.of(entry("a", 9), entry("b", 4), entry("c", 1)),
                List.of(entry("d", 8), entry("e", 7), entry("f", 2)),
                List.of(entry("g", 5))), NEWEST_FIRST, 10);
        assertThat(ids(merged)).containsExactly("a", "d", "e", "g", "b", "f", "c");
    }

    @Test
    void breaksATimestampTieAcrossShardsByIdTheLaterIdFirst() {
        List<LogEntry> merged = EntryMerge.firstDistinct(List.of(
                List.of(entry("01b", 5), entry("01a", 5)),
                List.of(entry("01c", 5), entry("00z", 5))), NEWEST_FIRST, 10);
        assertThat(ids(merged)).containsExactly("01c", "01b", "01a", "00z");
    }

    @Test
    void keepsTheFirstOfAnIdThatTwoShardsAnswer() {
        LogEntry fromShard0 = new LogEntry("x", T0.plusSeconds(5), "replica-0", Map.of(), "m");
        LogEntry fromShard1 = new LogEntry("x", T0.plusSeconds(5), "replica-1", Map.of(), "m");
        List<LogEntry> merged = EntryMerge.firstDistinct(List.of(
                List.of(entry("y", 6), fromShard0, entry("a", 1)),
                List.of(fromShard1, entry("b", 2))), NEWEST_FIRST, 10);
        assertThat(ids(merged)).containsExactly("y", "x", "b", "a");
        assertThat(merged.get(1)).isSameAs(fromShard0);
    }

    @Test
    void aDuplicateDoesNotTakeAPlaceUnderTheLimit() {
        List<LogEntry> merged = EntryMerge.firstDistinct(List.of(
                List.of(entry("c", 9), entry("b", 8)),
                List.of(entry("c", 9), entry("b", 8), entry("a", 7))), NEWEST_FIRST, 3);
        assertThat(ids(merged)).containsExactly("c", "b", "a");
    }

    @Test
    void stopsAtTheLimitReadingAtMostOneEntryPastItPerShard() {
        AtomicInteger reads = new AtomicInteger();
        List<List<LogEntry>> shards = List.of(counted(0, 1000, reads), counted(1, 1000, reads), counted(2, 1000, reads));
        List<LogEntry> merged = EntryMerge.firstDistinct(shards, NEWEST_FIRST, 5);
        assertThat(merged).hasSize(5).isSortedAccordingTo(NEWEST_FIRST);
        assertThat(reads).hasValueLessThanOrEqualTo(5 + shards.size());
    }

    @Test
    void mergesOldestFirstForOrderByTimeAsc() {
        List<LogEntry> merged = EntryMerge.firstDistinct(List.of(
                List.of(entry("a", 1), entry("c", 3), entry("e", 3)),
                List.of(entry("b", 2), entry("d", 3), entry("f", 6))), OLDEST_FIRST, 5);
        assertThat(ids(merged)).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void emptyShardsAddNothing() {
        assertThat(EntryMerge.firstDistinct(List.of(), NEWEST_FIRST, 10)).isEmpty();
        assertThat(EntryMerge.firstDistinct(List.of(List.of(), List.of()), NEWEST_FIRST, 10)).isEmpty();
        List<LogEntry> merged = EntryMerge.firstDistinct(List.of(
                List.of(), List.of(entry("b", 2), entry("a", 1)), List.of()), NEWEST_FIRST, 10);
        assertThat(ids(merged)).containsExactly("b", "a");
    }

    @Test
    void refusesAShardAnswerThatIsNotInTheQueryOrder() {
        assertThatIllegalStateException().isThrownBy(() -> EntryMerge.firstDistinct(List.of(
                List.of(entry("a", 1), entry("b", 2))), NEWEST_FIRST, 10)).withMessageContaining("not in the query's order");
    }

    /** The merge answers what concatenating the answers, sorting them stably and keeping each id's first did. */
    @Test
    void answersWhatSortingTheUnionAnswered() {
        Random random = new Random(20261126L);
        for (int round = 0; round < 2000; round++) {
            Comparator<LogEntry> order = random.nextBoolean() ? NEWEST_FIRST : OLDEST_FIRST;
            int limit = 1 + random.nextInt(12);
            List<List<LogEntry>> shards = new ArrayList<>();
            for (int s = random.nextInt(5); s > 0; s--) {
                List<LogEntry> answer = new ArrayList<>();
                for (int n = random.nextInt(limit + 1); n > 0; n--) {
                    // few timestamps and ids, so that ties and duplicates are common; the source tells copies apart
                    String id = "id" + random.nextInt(20);
                    answer.add(new LogEntry(id, T0.plusSeconds(id.hashCode() % 4), "shard-" + s, Map.of(), "m"));
                }
                answer.sort(order);
                shards.add(answer);
            }
            assertThat(EntryMerge.firstDistinct(shards, order, limit)).isEqualTo(sortedUnion(shards, order, limit));
        }
    }

    private static List<LogEntry> sortedUnion(List<List<LogEntry>> shards, Comparator<LogEntry> order, int limit) {
        List<LogEntry> all = new ArrayList<>();
        shards.forEach(all::addAll);
        all.sort(order);
        Set<String> seen = new HashSet<>();
        return all.stream().filter(e -> seen.add(e.id())).limit(limit).toList();
    }

    /** {@code size} entries newest first, every read of one counted. */
    private static List<LogEntry> counted(int shard, int size, AtomicInteger reads) {
        return new AbstractList<>() {
            @Override
            public LogEntry get(int index) {
                reads.incrementAndGet();
                return entry(String.format("%d-%04d", shard, size - index), 3 * (size - index) + shard);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
