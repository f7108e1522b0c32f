package io.timberdb.storage.replication;

import io.timberdb.model.shard.ShardId;
import io.timberdb.storage.shard.ReplicatedShard;
import io.timberdb.storage.wal.SequenceMismatchException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part as a follower of one shard at one epoch: a thread that first cuts the local
 * log back to where it agrees with the leader's (the end, in the leader's log, of the last epoch
 * this replica holds entries of), then fetches the leader's log from its own end, appends each
 * piece at the leader's sequence, and commits up to the leader's high watermark. Its fetch
 * position tells the leader what it holds durably: the next fetch goes out only once the
 * previous answer's pieces are durable here.
 *
 * <p>When the leader no longer holds the entries this replica needs in its WAL (they were sealed
 * into blocks), the replica drops its copy and copies the leader's blocks first
 * ({@link BlockCopier}).
 *
 * <p>Thread-safety: the loop runs on its own thread; {@link #stop} may be called from any thread.
 */
final class FollowerReplica {

    private static final Logger log = LoggerFactory.getLogger(FollowerReplica.class);
    private static final long MIN_BACKOFF_MS = 50;
    private static final long MAX_BACKOFF_MS = 1000;

    private final ShardId id;
    private final String nodeId;
    private final long epoch;
    private final String leader;
    private final Supplier<String> leaderAddress;
    private final ReplicatedShard shard;
    private final PeerClient peers;
    private final BlockCopier copier;
    private final ReplicationProperties settings;
    private final Runnable refreshView;
    private final Thread thread;
    private volatile boolean running = true;

    FollowerReplica(ShardId id, String nodeId, long epoch, String leader, Supplier<String> leaderAddress,
                    ReplicatedShard shard, PeerClient peers, BlockCopier copier, ReplicationProperties settings,
                    Runnable refreshView) {
        this.id = id;
        this.nodeId = nodeId;
        this.epoch = epoch;
        this.leader = leader;
        this.leaderAddress = leaderAddress;
        this.shard = shard;
        this.peers = peers;
        this.copier = copier;
        this.settings = settings;
        this.refreshView = refreshView;
        this.thread = new Thread(this::run, "follower-" + id + "-e" + epoch);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
        log.info("shard {}: following {} at epoch {}", id, leader, epoch);
    }

    long epoch() {
        return epoch;
    }

    String leader() {
        return leader;
    }

    /** Stops the loop and waits for it (a fetch in flight is abandoned). */
    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        boolean agreed = false;
        long backoff = MIN_BACKOFF_MS;
        while (running) {
            try {
                String address = leaderAddress.get();
                if (address == null) {
                    throw new IllegalStateException("the view has no address for leader " + leader);
                }
                if (!agreed) {
                    cutToLeader(address);
                    agreed = true;
                }
                agreed = fetchOnce(address);
                backoff = MIN_BACKOFF_MS;
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                log.debug("shard {}: fetch from {} failed: {}", id, leader, e.toString());
                if (e instanceof PeerClient.RefusedException refused && refused.status() == 409) {
                    refreshView.run(); // a NOT_LEADER or STALE_EPOCH: one of the two views is behind
                }
                agreed = agreed && !(e instanceof SequenceMismatchException);
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /**
     * Cuts the local log to where it agrees with the leader's: entries past the end of our last
     * epoch in the leader's log were never committed. A cut that would reach into sealed blocks
     * (impossible while only committed entries are sealed; a guard) drops the copy.
     */
    private void cutToLeader(String address) throws Exception {
        long lastEpoch = shard.epochs().lastEpoch();
        long end = shard.durableEnd();
        if (lastEpoch == 0 || end == 0) {
            return;
        }
        long leaderEnd = peers.endOfEpoch(address, id, lastEpoch);
        if (leaderEnd >= end) {
            return;
        }
        log.info("shard {}: cutting the log from {} back to {}, where epoch {} ends in leader {}'s log", id, end,
                leaderEnd, lastEpoch, leader);
        long after = shard.truncate(leaderEnd);
        if (after > leaderEnd) {
            log.warn("shard {}: the cut to {} reaches sealed entries (the log ends at {}); copying the shard afresh",
                    id, leaderEnd, after);
            shard.drop();
        }
    }

    /** One fetch and what follows it; false when the logs must be compared again. */
    private boolean fetchOnce(String address) throws Exception {
        long from = shard.durableEnd();
        FetchResponse answer = peers.fetch(address, id, nodeId, epoch, from, shard.committed(),
                settings.fetchMaxBytes(), settings.fetchWait());
        if (answer.leaderEpoch() != epoch) {
            refreshView.run();
            sleep(MIN_BACKOFF_MS);
            return true;
        }
        if (from < answer.logStart()) {
            log.info("shard {}: the leader holds its log from {} on, this replica needs {}: copying its blocks", id,
                    answer.logStart(), from);
            copier.copy(address, shard);
            return false;
        }
        if (from > answer.durableEnd()) {
            return false; // ahead of the leader: compare the logs again
        }
        List<CompletableFuture<Long>> appends = new ArrayList<>(answer.pieces().size());
        long expected = from;
        for (FetchResponse.Piece piece : answer.pieces()) {
            if (piece.log().baseSequence() != expected) {
                throw new IllegalStateException("leader sent sequence " + piece.log().baseSequence() + ", expected "
                        + expected);
            }
            if (piece.epoch() > shard.epochs().lastEpoch()) {
                shard.epochs().begin(piece.epoch(), piece.log().baseSequence());
            }
            appends.add(shard.appendAt(piece.log().baseSequence(), piece.log().entries()));
            expected = piece.log().endSequence();
        }
        for (CompletableFuture<Long> append : appends) {
            try {
                append.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        shard.commit(answer.highWatermark());
        return true;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
