package io.timberdb.storage.replication;

import io.timberdb.model.api.Partition;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.storage.shard.EpochHistory;
import io.timberdb.storage.shard.LogPiece;
import io.timberdb.storage.shard.ReplicatedShard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part as the leader of one shard at one epoch: it answers its followers' fetches,
 * keeps track of how far each has got, moves the high watermark (the committed point) to the
 * lowest position among the in-sync replicas, and proposes ISR changes to the coordinator when a
 * follower falls behind for longer than the lag time or catches up again.
 *
 * <p>The high watermark only moves while the ISR (as it counts: the committed ISR, plus replicas
 * this leader has proposed to add) has at least {@code min_insync_replicas} members, so an append
 * is never acknowledged with fewer copies than that. A shrink counts only once the coordinator
 * committed it, so it never acknowledges early either.
 *
 * <p>Thread-safe: fetches arrive on many threads; {@link #tick} runs on the replica manager's
 * thread; the high watermark is recomputed under this object's lock.
 */
final class LeaderReplica {

    private static final Logger log = LoggerFactory.getLogger(LeaderReplica.class);

    /** How far a follower has got, as its fetches tell. */
    private static final class Progress {
        /** The follower's log end: it holds everything below durably. */
        volatile long position;
        /** When the follower was last known to be caught up with the leader's end (nanoTime). */
        volatile long caughtUpAt;
        /** The leader's durable end when the follower's previous fetch was answered. */
        volatile long endAtLastAnswer = Long.MAX_VALUE;
        /** When the previous fetch was answered (nanoTime). */
        volatile long lastAnswerAt;
    }

    private final ShardId id;
    private final String nodeId;
    private final long epoch;
    private final ReplicatedShard shard;
    private final IsrProposer proposer;
    private final ReplicationProperties settings;
    private final LongSupplier nanoTime;
    private final long startedAt;
    /** The first sequence of this epoch: a follower that has not reached it cannot rejoin the ISR. */
    private final long epochStart;
    private final Map<String, Progress> followers = new ConcurrentHashMap<>();
    /** The shard's placement as the cluster view last showed it (same epoch). */
    private volatile Partition.ShardPlacement placement;
    private volatile int minInsync;
    /** The ISR proposed to the coordinator and not yet seen in the view, or null. */
    private volatile List<String> proposed;
    /** Whether an ISR proposal is on its way to the coordinator. */
    private volatile boolean proposing;
    /** Completed and replaced whenever the high watermark moves: waiting fetches return. */
    private volatile CompletableFuture<Void> committedSignal = new CompletableFuture<>();
    private volatile boolean stopped;

    LeaderReplica(ShardId id, String nodeId, ReplicatedShard shard, Partition.ShardPlacement placement, int minInsync,
                  IsrProposer proposer, ReplicationProperties settings, LongSupplier nanoTime) {
        this.id = id;
        this.nodeId = nodeId;
        this.epoch = placement.epoch();
        this.shard = shard;
        this.placement = placement;
        this.minInsync = minInsync;
        this.proposer = proposer;
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.startedAt = nanoTime.getAsLong();
        try {
            shard.epochs().begin(epoch, shard.durableEnd());
        } catch (IOException e) {
            throw new UncheckedIOException("shard " + id + ": could not record leader epoch " + epoch, e);
        }
        this.epochStart = startOf(shard.epochs(), epoch, shard.durableEnd());
        for (String replica : placement.replicas()) {
            if (!replica.equals(nodeId)) {
                Progress p = new Progress();
                p.caughtUpAt = startedAt; // every follower gets a whole lag time to show up
                followers.put(replica, p);
            }
        }
        shard.onDurable(this::advance);
        refreshCommitGate();
        advance();
        log.info("shard {}: leading epoch {} from sequence {} (replicas {}, isr {}, min isr {})", id, epoch, epochStart,
                placement.replicas(), placement.isr(), minInsync);
    }

    private static long startOf(EpochHistory history, long epoch, long fallback) {
        for (EpochHistory.Epoch e : history.epochs()) {
            if (e.epoch() == epoch) {
                return e.startSequence();
            }
        }
        return fallback;
    }

    long epoch() {
        return epoch;
    }

    Partition.ShardPlacement placement() {
        return placement;
    }

    /** The view showed the same epoch again, maybe with another ISR or minimum. */
    void update(Partition.ShardPlacement current, int minInsync) {
        this.placement = current;
        this.minInsync = minInsync;
        List<String> pending = proposed;
        if (pending != null && Set.copyOf(pending).equals(Set.copyOf(current.isr()))) {
            proposed = null;
        }
        for (String replica : current.replicas()) {
            if (!replica.equals(nodeId)) {
                followers.computeIfAbsent(replica, r -> {
                    Progress p = new Progress();
                    p.caughtUpAt = nanoTime.getAsLong();
                    return p;
                });
            }
        }
        followers.keySet().retainAll(current.replicas());
        refreshCommitGate();
        advance();
    }

    /**
     * Appends can be committed only while the ISR (as it counts) has the partition's minimum;
     * below it, those waiting and those that come fail with NOT_ENOUGH_REPLICAS: their entries
     * stay in the log, and a retry (same entry ids) waits for them once the ISR is back.
     */
    private void refreshCommitGate() {
        if (stopped) {
            return;
        }
        Set<String> isr = countingIsr();
        if (isr.size() < minInsync) {
            shard.blockCommits(new TimberException(ErrorCode.NOT_ENOUGH_REPLICAS, "shard " + id + " is down to "
                    + isr.size() + " in-sync replica(s) " + isr + "; its partition needs " + minInsync));
        } else {
            shard.unblockCommits();
        }
    }

    /** Refuses an append that could not be committed: the ISR is below the partition's minimum. */
    void checkAppend() {
        if (stopped) {
            throw notLeader();
        }
        int insync = countingIsr().size();
        if (insync < minInsync) {
            throw new TimberException(ErrorCode.NOT_ENOUGH_REPLICAS, "shard " + id + " has " + insync
                    + " in-sync replica(s) " + countingIsr() + "; its partition needs " + minInsync,
                    null, Map.of("isr", List.copyOf(countingIsr()), "min_insync_replicas", minInsync), null);
        }
    }

    TimberException notLeader() {
        return new TimberException(ErrorCode.NOT_LEADER, "this node no longer leads shard " + id + " (epoch " + epoch
                + ")", null, Map.of("epoch", epoch), null);
    }

    /**
     * A follower's fetch: records its position, then reads the log from there. Returns null when
     * there is nothing new to send and the follower already knows the high watermark: the caller
     * waits for {@link #changed()} and asks again.
     */
    FetchResponse fetch(String follower, long from, long knownHighWatermark, int maxBytes) {
        Progress progress = followers.get(follower);
        if (progress == null) {
            throw new TimberException(ErrorCode.NOT_LEADER, "node " + follower + " holds no replica of shard " + id
                    + " at epoch " + epoch, null, Map.of("epoch", epoch), null);
        }
        long now = nanoTime.getAsLong();
        if (from >= progress.endAtLastAnswer) {
            progress.caughtUpAt = Math.max(progress.caughtUpAt, progress.lastAnswerAt);
        }
        long end = shard.durableEnd();
        if (from >= end) {
            progress.caughtUpAt = now;
        }
        progress.position = from;
        advance();
        long hw = shard.committed();
        long logStart = shard.logStart();
        List<FetchResponse.Piece> pieces = List.of();
        if (from >= logStart && from < end) {
            pieces = withEpochs(shard.read(from, maxBytes));
        } else if (from >= logStart && hw == knownHighWatermark) {
            return null;
        }
        progress.endAtLastAnswer = end;
        progress.lastAnswerAt = now;
        return new FetchResponse(epoch, hw, logStart, end, pieces);
    }

    /** Where epoch {@code askedEpoch} ends in this leader's log (a follower cuts its log there). */
    long endOfEpoch(long askedEpoch) {
        return shard.epochs().endOf(askedEpoch, shard.durableEnd());
    }

    /** The sealed blocks a follower copies when it is below the log start. */
    BlockList blocks() {
        var manifest = shard.manifest();
        return new BlockList(manifest.sealedThrough(), manifest.readable());
    }

    /** The file of a sealed block, or null when the manifest names no such readable block. */
    java.nio.file.Path blockFile(String name) {
        boolean known = shard.manifest().readable().stream().anyMatch(b -> b.name().equals(name));
        return known ? shard.blockFile(name) : null;
    }

    /** A fetch answer without entries: the leader's epoch and positions (for a follower at another epoch). */
    FetchResponse positions() {
        return new FetchResponse(epoch, shard.committed(), shard.logStart(), shard.durableEnd(), List.of());
    }

    /** Completes when the log grows or the high watermark moves. */
    CompletableFuture<Void> changed() {
        return CompletableFuture.anyOf(shard.durableSignal(), committedSignal).thenApply(x -> null);
    }

    /** Tags each piece with the epoch that wrote it, splitting a piece that crosses an epoch's start. */
    private List<FetchResponse.Piece> withEpochs(List<LogPiece> pieces) {
        List<EpochHistory.Epoch> epochs = shard.epochs().epochs();
        List<FetchResponse.Piece> out = new ArrayList<>(pieces.size());
        for (LogPiece piece : pieces) {
            LogPiece rest = piece;
            while (rest.entries().size() > 0) {
                long pieceEpoch = 0;
                long nextStart = Long.MAX_VALUE;
                for (EpochHistory.Epoch e : epochs) {
                    if (e.startSequence() <= rest.baseSequence()) {
                        pieceEpoch = e.epoch();
                    } else {
                        nextStart = Math.min(nextStart, e.startSequence());
                    }
                }
                int take = (int) Math.min(rest.entries().size(), nextStart - rest.baseSequence());
                out.add(new FetchResponse.Piece(pieceEpoch, new LogPiece(rest.baseSequence(), rest.entries().range(0, take))));
                rest = new LogPiece(rest.baseSequence() + take, rest.entries().range(take, rest.entries().size()));
            }
        }
        return out;
    }

    /** The ISR as it counts for the high watermark: the committed one, plus replicas proposed for it. */
    private Set<String> countingIsr() {
        Set<String> isr = new LinkedHashSet<>(placement.isr());
        List<String> pending = proposed;
        if (pending != null) {
            isr.addAll(pending); // an addition counts at once; a removal only once committed
        }
        isr.add(nodeId);
        return isr;
    }

    /** Recomputes the high watermark and commits up to it. */
    synchronized void advance() {
        if (stopped) {
            return;
        }
        Set<String> isr = countingIsr();
        if (isr.size() < minInsync) {
            return; // nothing is acknowledged with fewer copies than the partition asks for
        }
        long hw = shard.durableEnd();
        for (String member : isr) {
            if (!member.equals(nodeId)) {
                Progress p = followers.get(member);
                hw = Math.min(hw, p == null ? 0 : p.position);
            }
        }
        long before = shard.committed();
        shard.commit(hw);
        if (shard.committed() != before) {
            CompletableFuture<Void> signal = committedSignal;
            committedSignal = new CompletableFuture<>();
            signal.complete(null);
        }
    }

    /**
     * Checks the followers: proposes to drop from the ISR those that stayed behind longer than
     * the lag time, or to add those that caught up. One proposal at a time.
     */
    void tick() {
        if (stopped || proposing) {
            return;
        }
        Partition.ShardPlacement current = placement;
        long now = nanoTime.getAsLong();
        long lag = settings.replicaLagTime().toNanos();
        long hw = shard.committed();
        List<String> next = new ArrayList<>(current.isr());
        if (!next.contains(nodeId)) {
            next.add(0, nodeId);
        }
        for (String member : current.isr()) {
            Progress p = followers.get(member);
            if (!member.equals(nodeId) && p != null && now - p.caughtUpAt > lag) {
                next.remove(member);
            }
        }
        for (Map.Entry<String, Progress> f : followers.entrySet()) {
            Progress p = f.getValue();
            if (!next.contains(f.getKey()) && !current.isr().contains(f.getKey()) && p.position >= hw
                    && p.position >= epochStart && now - p.caughtUpAt <= lag) {
                next.add(f.getKey());
            }
        }
        if (Set.copyOf(next).equals(Set.copyOf(current.isr()))) {
            return;
        }
        List<String> newIsr = List.copyOf(next);
        log.info("shard {}: proposing ISR {} (was {})", id, newIsr, current.isr());
        boolean grows = newIsr.stream().anyMatch(n -> !current.isr().contains(n));
        if (grows) {
            proposed = newIsr; // counts at once: the new member already holds everything committed
            refreshCommitGate();
        }
        proposing = true;
        proposer.propose(id, nodeId, epoch, current.isr(), newIsr).whenComplete((ok, failure) -> {
            proposing = false;
            if (failure != null || !Boolean.TRUE.equals(ok)) {
                log.info("shard {}: ISR {} not committed ({}); the next check tries again", id, newIsr,
                        failure != null ? failure.toString() : "conflict");
                proposed = null;
                refreshCommitGate();
            } else {
                isrCommitted(newIsr);
            }
        });
    }

    /**
     * A committed ISR counts at once, without waiting for the view to show it. When it is below
     * the partition's minimum, the appends waiting to be committed fail with NOT_ENOUGH_REPLICAS:
     * their entries stay in the log, and a retry (same entry ids) waits for them to commit.
     */
    private void isrCommitted(List<String> newIsr) {
        Partition.ShardPlacement current = placement;
        placement = new Partition.ShardPlacement(current.shard(), current.node(), current.replicas(), newIsr,
                current.epoch());
        proposed = null;
        refreshCommitGate();
        advance();
    }

    /**
     * Hands over to this node's leadership of a newer epoch (the replica set changed, the leader
     * did not): stops answering, but leaves the appends waiting, which the successor commits.
     */
    void handOver() {
        synchronized (this) {
            stopped = true;
        }
        committedSignal.complete(null);
    }

    /** Stops leading: waiting appends fail with NOT_LEADER so that their senders retry at the new leader. */
    void stop() {
        synchronized (this) {
            stopped = true;
        }
        shard.onDurable(null);
        shard.blockCommits(notLeader());
        CompletableFuture<Void> signal = committedSignal;
        signal.complete(null);
    }
}
