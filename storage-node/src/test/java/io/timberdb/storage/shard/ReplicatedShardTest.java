package io.timberdb.storage.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.storage.manifest.BlockRef;
import io.timberdb.storage.wal.EncodedEntries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replicated shard: entries become visible (and appends complete) only once committed; a
 * retried batch is stored once; a restart shows what was committed; a cut drops the uncommitted
 * tail; an installed copy of another replica's blocks reads back.
 */
class ReplicatedShardTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ShardId SHARD = new ShardId("p-r", 0);

    @TempDir
    Path dataDir;

    private ShardStore store;

    @BeforeEach
    void open() {
        store = new ShardStore(dataDir);
    }

    @AfterEach
    void close() {
        store.close();
    }


    private long visible() {
        return store.query(SHARD, new ShardQuery(new QueryFilter(null, null, Map.of(), null), 1000)).block(WAIT)
                .entries().size();
    }

    @Test
    void anAppendCompletesAndShowsOnlyOnceCommitted() throws Exception {
        ReplicatedShard shard = store.replicated(SHARD);
        CompletableFuture<Void> append = store.append(SHARD, TestBatches.batch("a", 3)).toFuture();
        awaitDurable(shard, 3);
        assertThat(append).isNotDone();
        assertThat(visible()).isZero();
        assertThat(shard.read(0, Long.MAX_VALUE)).hasSize(1).first()
                .satisfies(piece -> assertThat(piece.endSequence()).isEqualTo(3));
        shard.commit(3);
        append.get(10, TimeUnit.SECONDS);
        assertThat(visible()).isEqualTo(3);
        assertThat(shard.committed()).isEqualTo(3);
    }

    @Test
    void aRetriedBatchIsStoredOnceAndItsRetryWaitsForTheFirstCopy() throws Exception {
        ReplicatedShard shard = store.replicated(SHARD);
        List<LogEntry> entries = TestBatches.batch("r", 4);
        CompletableFuture<Void> first = store.append(SHARD, entries).toFuture();
        CompletableFuture<Void> retry = store.append(SHARD, entries).toFuture();
        awaitDurable(shard, 4);
        assertThat(retry).isNotDone();
        shard.commit(shard.durableEnd());
        first.get(10, TimeUnit.SECONDS);
        retry.get(10, TimeUnit.SECONDS);
        store.append(SHARD, entries).block(WAIT); // once more, after the commit
        assertThat(shard.durableEnd()).isEqualTo(4);
        assertThat(visible()).isEqualTo(4);
    }

    @Test
    void aRestartShowsWhatWasCommittedAndHoldsTheRestBack() throws Exception {
        ReplicatedShard shard = store.replicated(SHARD);
        store.append(SHARD, TestBatches.batch("c", 2)).subscribe();
        awaitDurable(shard, 2);
        shard.commit(2);
        store.append(SHARD, TestBatches.batch("u", 3)).subscribe(v -> { }, e -> { });
        awaitDurable(shard, 5);
        shard.checkpoint();
        store.close();
        store = new ShardStore(dataDir);
        ReplicatedShard reopened = store.replicated(SHARD);
        assertThat(reopened.durableEnd()).isEqualTo(5);
        assertThat(reopened.committed()).isEqualTo(2);
        assertThat(visible()).isEqualTo(2);
        reopened.commit(5);
        assertThat(visible()).isEqualTo(5);
    }

    @Test
    void aCutDropsTheUncommittedTailWhichNeverShowed() throws Exception {
        ReplicatedShard shard = store.replicated(SHARD);
        shard.epochs().begin(1, 0);
        shard.appendAt(0, EncodedEntries.encode(TestBatches.batch("x", 4))).get(10, TimeUnit.SECONDS);
        shard.commit(4);
        shard.epochs().begin(2, 4);
        shard.appendAt(4, EncodedEntries.encode(TestBatches.batch("y", 4))).get(10, TimeUnit.SECONDS);
        assertThat(visible()).isEqualTo(4);
        assertThat(shard.truncate(6)).isEqualTo(6);
        assertThat(shard.durableEnd()).isEqualTo(6);
        assertThat(shard.committed()).isEqualTo(4);
        assertThat(shard.epochs().epochs()).extracting(EpochHistory.Epoch::epoch).containsExactly(1L, 2L);
        assertThat(shard.truncate(4)).isEqualTo(4);
        assertThat(shard.epochs().epochs()).extracting(EpochHistory.Epoch::epoch).containsExactly(1L);
        assertThat(visible()).isEqualTo(4);
        // the log goes on from the cut with another leader's entries
        shard.appendAt(4, EncodedEntries.encode(TestBatches.batch("z", 2))).get(10, TimeUnit.SECONDS);
        shard.commit(6);
        assertThat(store.query(SHARD, new ShardQuery(new QueryFilter(null, null, Map.of(), null), 100)).block(WAIT)
                .entries()).extracting(LogEntry::id).filteredOn(id -> id.startsWith("y")).isEmpty();
    }

    @Test
    void anInstalledCopyOfAnotherReplicasBlocksReadsBackAndTheLogGoesOnFromItsEnd() throws Exception {
        ShardId source = new ShardId("p-src", 0);
        store.append(source, TestBatches.batch("s", 5)).block(WAIT);
        store.close(); // a graceful close seals the source's entries into a block
        store = new ShardStore(dataDir);
        ReplicatedShard from = store.replicated(source);
        var manifest = from.manifest();
        assertThat(manifest.blocks()).hasSize(1);
        ReplicatedShard shard = store.replicated(SHARD);
        shard.appendAt(0, EncodedEntries.encode(TestBatches.batch("old", 2))).get(10, TimeUnit.SECONDS);
        shard.install(manifest.sealedThrough(), 0, manifest.readable(),
                (BlockRef ref, Path target) -> Files.copy(from.blockFile(ref.name()), target));
        assertThat(shard.logStart()).isEqualTo(5);
        assertThat(shard.durableEnd()).isEqualTo(5);
        assertThat(visible()).isEqualTo(5);
        shard.appendAt(5, EncodedEntries.encode(TestBatches.batch("t", 1))).get(10, TimeUnit.SECONDS);
        shard.commit(6);
        assertThat(visible()).isEqualTo(6);
    }

    @Test
    void anUnreplicatedShardStillCommitsOnDurability() {
        ShardId plain = new ShardId("p-plain", 0);
        store.append(plain, TestBatches.batch("p", 2)).block(WAIT);
        assertThat(store.query(plain, new ShardQuery(new QueryFilter(null, null, Map.of(), null), 10)).block(WAIT)
                .entries()).hasSize(2);
        assertThat(Files.exists(dataDir.resolve("shards/p-plain/0/epochs"))).isFalse();
    }

    private static void awaitDurable(ReplicatedShard shard, long end) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> shard.durableEnd() >= end);
        assertThat(shard.durableEnd()).isEqualTo(end);
    }
}
