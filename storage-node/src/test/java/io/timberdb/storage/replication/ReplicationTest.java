package io.timberdb.storage.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.storage.manifest.BlockRef;
import io.timberdb.storage.shard.ReplicatedShard;
import io.timberdb.storage.shard.ShardStore;
import io.timberdb.storage.shard.TestBatches;
import io.timberdb.storage.wal.EncodedEntries;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader and a follower of one shard, each with its own store, talking through the fetch
 * protocol in process (the wire form is encoded and decoded as over HTTP): commits wait for the
 * in-sync follower, a follower that stops is dropped from the ISR after the lag time, a follower
 * with an uncommitted tail from an older epoch converges on the new leader's log, and a new
 * replica copies the leader's blocks first.
 */
class ReplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ShardId SHARD = new ShardId("p-rep", 0);
    private static final ReplicationProperties SETTINGS = new ReplicationProperties(Duration.ofSeconds(3),
            Duration.ofMillis(50), 1 << 20, Duration.ofMillis(100), Duration.ofSeconds(1), 1L << 30);

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<List<String>> proposals = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private ShardStore store(Path dir) {
        ShardStore store = new ShardStore(dir);
        closing.add(store);
        return store;
    }

    private static Partition.ShardPlacement placement(long epoch, List<String> replicas, List<String> isr) {
        return new Partition.ShardPlacement(0, replicas.get(0), replicas, isr, epoch);
    }

    private LeaderReplica leader(ShardStore store, Partition.ShardPlacement placement, int minInsync,
                                 boolean acceptProposals) {
        IsrProposer proposer = (shard, leader, epoch, isr, newIsr) -> {
            synchronized (proposals) {
                proposals.add(newIsr);
            }
            return CompletableFuture.completedFuture(acceptProposals);
        };
        LeaderReplica leader = new LeaderReplica(SHARD, placement.node(), store.replicated(SHARD), placement, minInsync,
                proposer, SETTINGS, clock::get);
        closing.add(leader::stop);
        return leader;
    }

    private FollowerReplica follower(ShardStore store, String nodeId, long epoch, LeaderReplica leader) {
        PeerClient inProcess = new InProcessPeer(leader);
        FollowerReplica follower = new FollowerReplica(SHARD, nodeId, epoch, "a", () -> "in-process",
                store.replicated(SHARD), inProcess, new BlockCopier(inProcess, 1L << 30), SETTINGS, () -> { });
        follower.start();
        closing.add(follower::stop);
        return follower;
    }


    private static List<String> visibleIds(ShardStore store) {
        return store.query(SHARD, new ShardQuery(new QueryFilter(null, null, Map.of(), null), 10_000)).block(WAIT)
                .entries().stream().map(LogEntry::id).sorted().toList();
    }

    @Test
    void anAppendIsAcknowledgedOnceTheInSyncFollowerHoldsItAndBothReplicasShowIt() throws Exception {
        ShardStore a = store(dirA);
        ShardStore b = store(dirB);
        LeaderReplica leader = leader(a, placement(1, List.of("a", "b"), List.of("a", "b")), 2, true);
        follower(b, "b", 1, leader);
        for (int i = 0; i < 5; i++) {
            leader.checkAppend();
            a.append(SHARD, TestBatches.batch("e" + i, 100)).block(WAIT);
        }
        assertThat(visibleIds(a)).hasSize(500);
        ReplicatedShard onB = b.replicated(SHARD);
        assertThat(onB.durableEnd()).isEqualTo(500); // acknowledged means durable on the follower
        awaitTrue(() -> visibleIds(b).size() == 500);
        assertThat(visibleIds(b)).isEqualTo(visibleIds(a));
    }

    @Test
    void aFollowerThatStopsIsDroppedFromTheIsrAfterTheLagTimeAndTheWaitingAppendsThenComplete() throws Exception {
        ShardStore a = store(dirA);
        ShardStore b = store(dirB);
        LeaderReplica leader = leader(a, placement(1, List.of("a", "b"), List.of("a", "b")), 1, true);
        FollowerReplica follower = follower(b, "b", 1, leader);
        a.append(SHARD, TestBatches.batch("before", 10)).block(WAIT);
        follower.stop();
        CompletableFuture<Void> waiting = a.append(SHARD, TestBatches.batch("after", 10)).toFuture();
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !waiting.isDone());
        assertThat(waiting).isNotDone();
        leader.tick();
        assertThat(proposals).isEmpty(); // within the lag time
        clock.addAndGet(Duration.ofSeconds(4).toNanos());
        leader.tick();
        assertThat(proposals).containsExactly(List.of("a"));
        waiting.get(10, TimeUnit.SECONDS);
        assertThat(visibleIds(a)).hasSize(20);
    }

    @Test
    void belowTheMinimumIsrAppendsAreRefusedAndNothingIsAcknowledged() throws Exception {
        ShardStore a = store(dirA);
        LeaderReplica leader = leader(a, placement(1, List.of("a", "b"), List.of("a", "b")), 2, true);
        CompletableFuture<Void> waiting = a.append(SHARD, TestBatches.batch("x", 3)).toFuture();
        clock.addAndGet(Duration.ofSeconds(4).toNanos());
        leader.tick(); // b never fetched: dropped
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(TimberException.class,
                        e -> assertThat(e.code()).isEqualTo(io.timberdb.model.error.ErrorCode.NOT_ENOUGH_REPLICAS));
        assertThatThrownBy(leader::checkAppend).isInstanceOf(TimberException.class)
                .hasMessageContaining("needs 2");
        assertThat(visibleIds(a)).isEmpty();
    }

    @Test
    void aFollowerWithAnUncommittedTailFromAnOlderEpochConvergesOnTheNewLeadersLog() throws Exception {
        ShardStore a = store(dirA);
        ShardStore b = store(dirB);
        // epoch 1: b led; both hold x (committed); b alone wrote y, never committed
        ReplicatedShard onA = a.replicated(SHARD);
        ReplicatedShard onB = b.replicated(SHARD);
        onA.epochs().begin(1, 0);
        onB.epochs().begin(1, 0);
        EncodedEntries x = EncodedEntries.encode(TestBatches.batch("x", 5));
        onA.appendAt(0, x).get(10, TimeUnit.SECONDS);
        onB.appendAt(0, x).get(10, TimeUnit.SECONDS);
        onA.commit(5);
        onB.commit(5);
        onB.appendAt(5, EncodedEntries.encode(TestBatches.batch("y", 4))).get(10, TimeUnit.SECONDS);
        // epoch 2: a leads and writes z
        LeaderReplica leader = leader(a, placement(2, List.of("a", "b"), List.of("a")), 1, true);
        a.append(SHARD, TestBatches.batch("z", 3)).block(WAIT);
        follower(b, "b", 2, leader);
        awaitTrue(() -> visibleIds(b).size() == 8);
        assertThat(visibleIds(b)).isEqualTo(visibleIds(a));
        assertThat(visibleIds(b)).noneMatch(id -> id.startsWith("y"));
        assertThat(onB.epochs().epochs()).extracting(e -> e.epoch() + "@" + e.startSequence())
                .containsExactly("1@0", "2@5");
        awaitTrue(() -> { // caught up: proposed back into the ISR once its next fetch shows its position
            leader.tick();
            synchronized (proposals) {
                return proposals.contains(List.of("a", "b"));
            }
        });
    }

    @Test
    void aNewReplicaCopiesTheLeadersBlocksThenFollowsItsLog() throws Exception {
        ShardStore first = new ShardStore(dirA);
        first.replicated(SHARD);
        first.append(SHARD, TestBatches.batch("sealed", 50)).subscribe(v -> { }, e -> { });
        awaitTrue(() -> first.replicated(SHARD).durableEnd() == 50);
        first.replicated(SHARD).commit(50);
        first.close(); // sealed into a block; the WAL is gone
        ShardStore a = store(dirA);
        LeaderReplica leader = leader(a, placement(3, List.of("a", "c"), List.of("a")), 1, true);
        a.append(SHARD, TestBatches.batch("tail", 7)).block(WAIT);
        assertThat(a.replicated(SHARD).logStart()).isEqualTo(50);
        ShardStore c = store(dirB);
        follower(c, "c", 3, leader);
        awaitTrue(() -> visibleIds(c).size() == 57);
        assertThat(visibleIds(c)).isEqualTo(visibleIds(a));
        assertThat(Files.list(dirB.resolve("shards/p-rep/0/blocks")).count()).isEqualTo(1);
    }

    @Test
    void aReturningReplicaKeepsTheBlocksItSharesWithTheLeaderAndCopiesOnlyTheRest() throws Exception {
        // both replicas sealed the same 50 entries at the same point; then the leader went on alone
        for (Path dir : List.of(dirA, dirB)) {
            ShardStore s = new ShardStore(dir);
            seal(s, TestBatches.batch("shared", 50));
        }
        ShardStore leaderStore = new ShardStore(dirA);
        seal(leaderStore, TestBatches.batch("alone", 30));
        ShardStore a = store(dirA);
        LeaderReplica leader = leader(a, placement(4, List.of("a", "b"), List.of("a")), 1, true);
        assertThat(a.replicated(SHARD).logStart()).isEqualTo(80);
        ShardStore b = store(dirB);
        InProcessPeer counting = new InProcessPeer(leader);
        FollowerReplica follower = new FollowerReplica(SHARD, "b", 4, "a", () -> "in-process", b.replicated(SHARD),
                counting, new BlockCopier(counting, 1L << 30), SETTINGS, () -> { });
        follower.start();
        closing.add(follower::stop);
        awaitTrue(() -> visibleIds(b).size() == 80);
        assertThat(visibleIds(b)).isEqualTo(visibleIds(a));
        assertThat(counting.downloaded).hasSize(1); // the block of the 30 it lacked, not the 50 it had
    }

    @Test
    void aLeaderThatKeepsLeadingAtANewEpochCommitsTheAppendsWaitingFromTheOldOne() throws Exception {
        ShardStore a = store(dirA);
        LeaderReplica first = leader(a, placement(1, List.of("a", "b"), List.of("a", "b")), 1, true);
        CompletableFuture<Void> waiting = a.append(SHARD, TestBatches.batch("w", 5)).toFuture();
        awaitTrue(() -> a.replicated(SHARD).durableEnd() == 5);
        assertThat(waiting).isNotDone(); // b never fetched
        first.handOver();
        leader(a, placement(2, List.of("a", "c"), List.of("a")), 1, true); // b replaced by c, not yet in sync
        waiting.get(10, TimeUnit.SECONDS);
        assertThat(visibleIds(a)).hasSize(5);
    }

    @Test
    void theKeptBlocksEndWhereBothReplicasCutAndNeverPastTheFollowersLog() {
        BlockRef f1 = ref(0, 50);
        BlockRef f2 = ref(50, 70);
        var mine = new io.timberdb.storage.manifest.Manifest(3, 70, List.of(f1, f2));
        // the leader cut at 0, 50, 90: the highest common start at or below 70 is 50
        assertThat(BlockCopier.keepBelow(mine, 75, List.of(ref(0, 50), ref(50, 90), ref(90, 120)))).isEqualTo(50);
        // the leader's blocks start where the follower's do not: nothing is kept
        assertThat(BlockCopier.keepBelow(mine, 75, List.of(ref(0, 40), ref(40, 120)))).isZero();
        // the follower's sealed point itself is a cut
        assertThat(BlockCopier.keepBelow(mine, 75, List.of(ref(0, 30), ref(30, 70), ref(70, 100)))).isEqualTo(70);
        // but never past its log end
        assertThat(BlockCopier.keepBelow(mine, 60, List.of(ref(0, 30), ref(30, 70), ref(70, 100)))).isZero();
    }

    private static BlockRef ref(long first, long end) {
        return new BlockRef(String.format("%020d.blk", first), first, end, Instant.EPOCH, Instant.EPOCH,
                (int) (end - first), 1, 1, false);
    }

    /** Appends a batch to the shard of a store, commits it, and closes the store (which seals it). */
    private static void seal(ShardStore store, List<LogEntry> batch) throws Exception {
        ReplicatedShard shard = store.replicated(SHARD);
        long end = shard.durableEnd() + batch.size();
        CompletableFuture<Void> append = store.append(SHARD, batch).toFuture();
        awaitTrue(() -> shard.durableEnd() == end);
        shard.commit(end);
        append.get(10, TimeUnit.SECONDS);
        store.close();
    }

    /**
     * Waits for {@code condition}; one that throws counts as not yet true (a query of a follower
     * while it replaces its shard with the leader's blocks meets the shard closed).
     */
    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).ignoreExceptions().until(condition::getAsBoolean);
    }

    /** The follower's calls answered by the leader object, through the wire form. */
    private static final class InProcessPeer extends PeerClient {
        private final LeaderReplica leader;
        /** The names of the blocks downloaded, in order. */
        final List<String> downloaded = new java.util.concurrent.CopyOnWriteArrayList<>();

        InProcessPeer(LeaderReplica leader) {
            this.leader = leader;
        }

        @Override
        FetchResponse fetch(String address, ShardId shard, String follower, long epoch, long from, long hw,
                            int maxBytes, Duration wait) throws java.io.IOException, InterruptedException {
            if (epoch != leader.epoch()) {
                return decode(leader.positions());
            }
            FetchResponse now = leader.fetch(follower, from, hw, maxBytes);
            if (now == null) {
                try {
                    leader.changed().get(wait.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    // nothing new within the wait
                }
                now = leader.fetch(follower, from, hw, maxBytes);
            }
            return decode(now != null ? now : leader.positions());
        }

        @Override
        long endOfEpoch(String address, ShardId shard, long epoch) {
            return leader.endOfEpoch(epoch);
        }

        @Override
        BlockList blocks(String address, ShardId shard) {
            return leader.blocks();
        }

        @Override
        void downloadBlock(String address, ShardId shard, String name, Path target, long bytesPerSecond)
                throws java.io.IOException {
            downloaded.add(name);
            Files.copy(leader.blockFile(name), target);
        }

        private static FetchResponse decode(FetchResponse response) throws java.io.IOException {
            return FetchResponse.decode(new ByteArrayInputStream(response.encode()));
        }
    }
}
