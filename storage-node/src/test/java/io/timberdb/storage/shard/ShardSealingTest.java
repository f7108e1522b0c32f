package io.timberdb.storage.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.storage.block.BlockCache;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardSealingTest {

    static final ShardId ID = new ShardId("p", 0);
    static final StoreOptions COUNT_100 = StoreOptions.DEFAULTS.withRotation(new BlockRotation(BlockRotation.Type.COUNT, 100));

    @TempDir
    Path dir;

    final BlockCache cache = new BlockCache(8 << 20, 8 << 20);

    static List<LogEntry> batch(int from, int n) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            entries.add(new LogEntry(String.format("00000000-0000-7000-8000-%012d", i),
                    Instant.parse("2026-11-26T00:00:00Z").plusSeconds(i), "host-" + (i % 3),
                    Map.of("level", i % 10 == 0 ? "error" : "info"), "request " + i + " served in " + (i % 97) + " ms"));
        }
        return entries;
    }

    static Set<String> ids(ShardQueryResult result) {
        Set<String> ids = new HashSet<>();
        result.entries().forEach(e -> ids.add(e.id()));
        assertThat(ids).as("no entry twice").hasSize(result.entries().size());
        return ids;
    }

    static ShardQueryResult query(Shard shard, QueryFilter filter) throws IOException {
        ShardScan scan = new ShardScan(new ShardQuery(filter, 100_000));
        Shard.State state = shard.state();
        for (SealedBlock block : state.blocks()) {
            block.scan(filter, scan);
        }
        state.active().forEach(scan::accept);
        return scan.result(state.unreadable());
    }

    long walSegments() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(ShardFiles.WAL_DIR))) {
            return files.count();
        }
    }

    @Test
    void sealedAndActiveEntriesAreQueriedOnceAndPrunedByTime() throws IOException {
        Shard shard = Shard.open(dir, ID, COUNT_100, cache);
        for (int i = 0; i < 5; i++) {
            shard.append(batch(i * 50, 50)).join();
            if (shard.sealDue()) {
                shard.seal();
            }
        }
        assertThat(shard.state().blocks()).hasSize(2);
        assertThat(shard.state().active().size()).isEqualTo(50);
        assertThat(ids(query(shard, QueryFilter.ALL))).hasSize(250);

        QueryFilter lastMinute = new QueryFilter(List.of("2026-11-26T00:03:20Z", "2026-11-26T00:04:10Z"), null, null, null);
        ShardQueryResult recent = query(shard, lastMinute);
        assertThat(recent.matched()).isEqualTo(50);
        assertThat(recent.scanned()).as("the first block is pruned by time without reading it").isLessThan(250);

        QueryFilter errors = new QueryFilter(null, "host-0", Map.of("level", "error"), "served");
        assertThat(query(shard, errors).matched()).isEqualTo(batch(0, 250).stream()
                .filter(errors.toPredicate()).count());
        shard.close();
    }

    @Test
    void aGracefulCloseSealsEverythingAndTheNextOpenReplaysNothing() throws IOException {
        Shard shard = Shard.open(dir, ID, StoreOptions.DEFAULTS, cache);
        shard.append(batch(0, 120)).join();
        shard.close();
        assertThat(walSegments()).as("the WAL is empty after a graceful stop").isZero();

        Shard reopened = Shard.open(dir, ID, StoreOptions.DEFAULTS, cache);
        assertThat(reopened.state().active().size()).as("nothing replayed").isZero();
        assertThat(reopened.state().active().startSequence()).isEqualTo(120);
        assertThat(ids(query(reopened, QueryFilter.ALL))).hasSize(120);
        reopened.append(batch(120, 1)).join();
        assertThat(ids(query(reopened, QueryFilter.ALL))).hasSize(121);
        reopened.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"write-block", "save-manifest", "write-temp", "force-temp", "rename", "force-directory",
            "swap-active-block", "delete-wal-segments"})
    void aCrashAtAnyStepOfASealLosesNothingAndDuplicatesNothing(String step) throws IOException {
        Shard first = Shard.open(dir, ID, COUNT_100, cache);
        first.append(batch(0, 150)).join();
        first.seal(); // a clean block first, so the crash hits a shard that already has one
        first.append(batch(150, 150)).join();
        first.abandon();

        // A rotation that does not seal on open: the crash must hit the seal below.
        StoreOptions noSealOnOpen = StoreOptions.DEFAULTS.withRotation(new BlockRotation(BlockRotation.Type.COUNT, 10_000));
        Shard crashing = Shard.open(dir, ID, noSealOnOpen, cache, s -> {
            if (s.equals(step)) {
                throw new UncheckedIOException(new IOException("crash before " + s));
            }
        });
        crashing.append(batch(300, 20)).join();
        assertThatThrownBy(crashing::seal).isInstanceOf(UncheckedIOException.class);
        crashing.abandon();

        Shard recovered = Shard.open(dir, ID, COUNT_100, cache);
        assertThat(ids(query(recovered, QueryFilter.ALL))).hasSize(320);
        recovered.append(batch(320, 5)).join();
        recovered.seal();
        assertThat(ids(query(recovered, QueryFilter.ALL))).hasSize(325);
        recovered.close();
        Shard again = Shard.open(dir, ID, COUNT_100, cache);
        assertThat(ids(query(again, QueryFilter.ALL))).hasSize(325);
        again.close();
    }

    @Test
    void aCloseWaitsForASealInProgressAndNothingQueuedForTheShardRunsAfterIt() throws Exception {
        CountDownLatch sealWriting = new CountDownLatch(1);
        CountDownLatch releaseSeal = new CountDownLatch(1);
        Shard shard = Shard.open(dir, ID, COUNT_100, cache, step -> {
            if (step.equals("save-manifest") && sealWriting.getCount() > 0) {
                sealWriting.countDown();
                try {
                    releaseSeal.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        shard.append(batch(0, 150)).join();
        CompletableFuture<Void> seal = CompletableFuture.runAsync(() -> {
            try {
                shard.seal();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(sealWriting.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> close = CompletableFuture.runAsync(shard::close);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> !close.isDone()); // the close waits for the seal that is writing
        releaseSeal.countDown();
        seal.get(10, TimeUnit.SECONDS);
        close.get(10, TimeUnit.SECONDS);

        shard.append(batch(150, 1)); // refused: the WAL is closed
        shard.seal(); // queued before the close, say: does nothing
        assertThat(shard.expireBefore(Instant.MAX).blocks()).isZero();
        try (Stream<Path> blocks = Files.list(dir.resolve(ShardFiles.BLOCKS_DIR))) {
            assertThat(blocks.count()).as("the one block of the seal, nothing after the close").isEqualTo(1);
        }
        Shard reopened = Shard.open(dir, ID, COUNT_100, cache);
        assertThat(ids(query(reopened, QueryFilter.ALL))).hasSize(150);
        reopened.close();
    }

    @Test
    void aCorruptBlockIsQuarantinedAndReportedWhileTheRestIsServed() throws IOException {
        Shard shard = Shard.open(dir, ID, COUNT_100, cache);
        shard.append(batch(0, 100)).join();
        shard.seal();
        shard.append(batch(100, 100)).join();
        shard.seal();
        shard.append(batch(200, 10)).join();
        shard.abandon();

        Path firstBlock = dir.resolve(ShardFiles.BLOCKS_DIR).resolve(ShardFiles.blockName(0));
        try (RandomAccessFile f = new RandomAccessFile(firstBlock.toFile(), "rw")) {
            long middle = f.length() / 3; // inside the page data
            f.seek(middle);
            int b = f.read();
            f.seek(middle);
            f.write(b ^ 0x5A);
        }
        BlockCache fresh = new BlockCache(8 << 20, 8 << 20);
        Shard reopened = Shard.open(dir, ID, COUNT_100, fresh);
        ShardScan scan = new ShardScan(new ShardQuery(QueryFilter.ALL, 100_000));
        List<String> unreadable = new ArrayList<>(reopened.state().unreadable());
        for (SealedBlock block : reopened.state().blocks()) {
            try {
                block.scan(QueryFilter.ALL, scan);
            } catch (io.timberdb.storage.block.CorruptBlockException e) {
                unreadable.add(reopened.quarantine(block, e));
            }
        }
        reopened.state().active().forEach(scan::accept);
        ShardQueryResult result = scan.result(unreadable);
        assertThat(result.unreadable()).singleElement().asString().contains(ShardFiles.blockName(0)).contains("quarantined");
        assertThat(result.entries()).extracting(LogEntry::id).contains(batch(150, 1).get(0).id(), batch(205, 1).get(0).id());
        assertThat(dir.resolve(ShardFiles.QUARANTINE_DIR).resolve(ShardFiles.blockName(0))).exists();

        reopened.close();
        Shard later = Shard.open(dir, ID, COUNT_100, new BlockCache(8 << 20, 8 << 20));
        assertThat(later.state().unreadable()).as("still reported after a restart").hasSize(1);
        assertThat(ids(query(later, QueryFilter.ALL))).hasSize(110).doesNotContain(batch(0, 1).get(0).id());
        later.close();
    }

    @Test
    void eachPartitionSealsWithItsOwnCompression() throws IOException {
        PartitionSettings perPartition = partition -> partition.equals("z")
                ? io.timberdb.storage.codec.CompressionSettings.fromSpec("Zstd", 9, 0)
                : io.timberdb.storage.codec.CompressionSettings.fromSpec("None", null, null);
        StoreOptions options = StoreOptions.DEFAULTS.withPartitions(perPartition);
        for (String partition : List.of("z", "n")) {
            Path shardDir = dir.resolve(partition);
            Shard shard = Shard.open(shardDir, new ShardId(partition, 0), options, cache);
            shard.append(batch(0, 50)).join();
            shard.close();
            try (var reader = io.timberdb.storage.block.BlockReader.open(
                    shardDir.resolve(ShardFiles.BLOCKS_DIR).resolve(ShardFiles.blockName(0)), cache)) {
                assertThat(reader.header().codec().specName()).isEqualTo(partition.equals("z") ? "Zstd" : "None");
            }
        }
    }

    @Test
    void aLongReplayedWalServesAtOnceAndIsSealedInTheBackground() throws IOException {
        Shard shard = Shard.open(dir.resolve("shards/p/0"), ID, StoreOptions.DEFAULTS, cache);
        for (int i = 0; i < 10; i++) {
            shard.append(batch(i * 100, 100)).join();
        }
        shard.abandon();
        try (ShardStore store = new ShardStore(dir, COUNT_100)) {
            assertThat(store.query(ID, new ShardQuery(QueryFilter.ALL, 2000)).block().entries())
                    .as("every replayed entry is served").hasSize(1000);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(store.stats().blocks()).as("the replayed tail is sealed").isPositive());
            assertThat(store.query(ID, new ShardQuery(QueryFilter.ALL, 2000)).block().entries())
                    .extracting(LogEntry::id).doesNotHaveDuplicates().hasSize(1000);
        }
    }

}
