package io.timberdb.ingest.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardWriter;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class EntryRouterTest {

    static final Partition LOGS = new Partition("p-1", "logs", Map.of(), 30, Instant.EPOCH,
            List.of(new Partition.ShardPlacement(0, "storage-1"), new Partition.ShardPlacement(1, "storage-2")));

    final Map<String, List<LogEntry>> written = new ConcurrentHashMap<>();
    final ShardWriter recording = (node, shard, entries) -> Mono.fromRunnable(
            () -> written.computeIfAbsent(node + ":" + shard, k -> new ArrayList<>()).addAll(entries));
    final ClusterViewSource view = ClusterViewSource.fixed(new ClusterView(1, null, List.of(), List.of(LOGS)));
    final EntryRouter router = new EntryRouter(view, recording, InstantSource.fixed(Instant.parse("2026-11-26T00:00:00Z")));

    @Test
    void routesEachStreamToItsShardsNodeAndAnswersTheIds() {
        List<LogEntryInput> inputs = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            inputs.add(new LogEntryInput(null, "host-" + i, Map.of("level", "info"), "m" + i));
            paths.add("[" + i + "]");
        }
        StepVerifier.create(router.ingest("logs", inputs, paths)).assertNext(response -> {
            assertThat(response.partition()).isEqualTo("p-1");
            assertThat(response.ids()).hasSize(20).doesNotHaveDuplicates().isSorted();
        }).verifyComplete();

        assertThat(written.values().stream().mapToInt(List::size).sum()).isEqualTo(20);
        written.forEach((key, entries) -> entries.forEach(e -> {
            int shard = LOGS.shardOf(e.source(), e.tags());
            assertThat(key).isEqualTo(LOGS.shards().get(shard).node() + ":" + new ShardId("p-1", shard));
        }));
    }

    @Test
    void checkedEntriesAreStoredAsGivenWithIdsAssignedHere() {
        Instant at = Instant.parse("2026-11-26T10:30:00.123456789Z");
        List<LogEntry> checked = List.of(new LogEntry("", at, "web-1", Map.of("level", "info"), "one"),
                new LogEntry("", at.plusSeconds(1), "web-1", Map.of("level", "info"), "two"));
        List<String> ids = new ArrayList<>();
        StepVerifier.create(router.ingestChecked("logs", checked)).assertNext(response -> {
            assertThat(response.partition()).isEqualTo("p-1");
            assertThat(response.ids()).hasSize(2).doesNotHaveDuplicates().isSorted().doesNotContain("");
            ids.addAll(response.ids());
        }).verifyComplete();
        List<LogEntry> stored = written.values().iterator().next();
        assertThat(stored).extracting(LogEntry::id).containsExactlyElementsOf(ids);
        assertThat(stored).extracting(LogEntry::message).containsExactly("one", "two");
        assertThat(stored.get(0).timestamp()).isEqualTo(at);
        assertThat(stored.get(1).tags()).isEqualTo(Map.of("level", "info"));
        StepVerifier.create(router.ingestChecked("missing", checked))
                .expectErrorSatisfies(e -> assertThat(((TimberException) e).code()).isEqualTo(ErrorCode.PARTITION_NOT_FOUND))
                .verify();
    }

    @Test
    void oneBadEntryRejectsTheWholeRequestAndWritesNothing() {
        List<LogEntryInput> inputs = List.of(new LogEntryInput(null, "a", null, "ok"), new LogEntryInput(null, "b", null, null));
        StepVerifier.create(router.ingest("p-1", inputs, List.of("[0]", "[1]")))
                .expectErrorSatisfies(e -> assertThat(((TimberException) e).field()).isEqualTo("[1].message"))
                .verify();
        assertThat(written).isEmpty();
    }

    @Test
    void entriesSharingATagMapGetItCheckedAndSortedOnceAndABadSetStillNamesItsEntry() {
        Map<String, String> shared = new java.util.LinkedHashMap<>();
        shared.put("b", "2");
        shared.put("a", "1");
        List<LogEntryInput> inputs = List.of(new LogEntryInput(null, "s", shared, "x"), new LogEntryInput(null, "s", shared, "y"));
        StepVerifier.create(router.ingest("logs", inputs, List.of("[0]", "[1]"))).expectNextCount(1).verifyComplete();
        List<LogEntry> stored = written.values().iterator().next();
        assertThat(stored.get(0).tags()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(stored.get(1).tags()).isSameAs(stored.get(0).tags());

        Map<String, String> blank = Map.of(" ", "v");
        List<LogEntryInput> bad = List.of(new LogEntryInput(null, "s", shared, "x"), new LogEntryInput(null, "s", blank, "y"));
        StepVerifier.create(router.ingest("logs", bad, List.of("[0]", "[1]")))
                .expectErrorSatisfies(e -> assertThat(((TimberException) e).field()).isEqualTo("[1].tags"))
                .verify();
    }

    @Test
    void anUnknownPartitionIsNotFound() {
        StepVerifier.create(router.ingest("nope", List.of(new LogEntryInput(null, "a", null, "m")), List.of("")))
                .expectErrorSatisfies(e -> assertThat(((TimberException) e).code()).isEqualTo(ErrorCode.PARTITION_NOT_FOUND))
                .verify();
    }
}
