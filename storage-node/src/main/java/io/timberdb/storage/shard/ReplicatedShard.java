package io.timberdb.storage.shard;

import io.timberdb.model.shard.ShardId;
import io.timberdb.storage.wal.EncodedEntries;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What replication does with one replicated shard of the store: read its log for followers,
 * append a leader's batches at their sequences, commit up to a high watermark, cut the log back,
 * or drop the shard. Each call goes to the shard as it is open now (a cut reopens it).
 *
 * <p>A replicated shard makes entries visible (to queries, and to the append that wrote them)
 * only once {@link #commit} has passed them; see {@code docs/plans/tdb-05.md}.
 *
 * <p>Thread-safe. The calls marked blocking do disk work and must run off the event loop.
 */
public final class ReplicatedShard {

    private final ShardSlot slot;
    private final Sealing sealing;

    ReplicatedShard(ShardSlot slot, Sealing sealing) {
        this.slot = slot;
        this.sealing = sealing;
    }

    /** The shard open now; opens it (blocking) only when a cut or a drop closed it. */
    private Shard shard() {
        Shard open = slot.ifOpen();
        return open != null && open.failure() == null && open.epochs() != null ? open : slot.open(true, true);
    }

    public ShardId id() {
        return slot.id();
    }

    /** The first sequence still held outside sealed blocks: a follower below it must copy blocks. */
    public long logStart() {
        return shard().logStart();
    }

    /** One past the last durable entry. */
    public long durableEnd() {
        return shard().durableEnd();
    }

    /** One past the last committed (visible) entry. */
    public long committed() {
        return shard().committed();
    }

    /** Completes when the next batch becomes durable. */
    public CompletableFuture<Void> durableSignal() {
        return shard().durableSignal();
    }

    /** The log from {@code from} on, in pieces of about {@code maxBytes} at most (see {@link Shard#read}). */
    public List<LogPiece> read(long from, long maxBytes) {
        return shard().read(from, maxBytes);
    }

    /** Appends a leader's batch at its sequence; completes once durable here (not yet visible). */
    public CompletableFuture<Long> appendAt(long baseSequence, EncodedEntries entries) {
        Shard shard = shard();
        return shard.appendAt(baseSequence, entries).whenComplete((base, failure) -> sealing.sealIfDue(shard));
    }

    /** Makes the durable entries below {@code highWatermark} visible, and completes the appends waiting for them. */
    public void commit(long highWatermark) {
        Shard shard = shard();
        shard.commit(highWatermark);
        sealing.sealIfDue(shard);
    }

    /**
     * Fails the appends waiting to be committed, and those that start waiting later, until
     * {@link #unblockCommits()}: this replica no longer leads, or its ISR is below the minimum.
     */
    public void blockCommits(RuntimeException cause) {
        Shard open = slot.ifOpen();
        if (open != null) {
            open.blockCommits(cause);
        }
    }

    /** Lets appends wait for their commit again (this replica leads, with enough in-sync replicas). */
    public void unblockCommits() {
        shard().unblockCommits();
    }

    /** The shard's leader epochs. */
    public EpochHistory epochs() {
        return shard().epochs();
    }

    /** Sets what is told of each durable batch, for this shard and every reopening of it. */
    public void onDurable(Runnable listener) {
        slot.onDurable(listener);
    }

    /** Writes the committed point to disk, so that a restart shows what was visible. Blocking. */
    public void checkpoint() throws IOException {
        Shard open = slot.ifOpen();
        if (open != null) {
            open.checkpointCommitted();
        }
    }

    /** Cuts the log back to {@code cut} (see {@link ShardSlot#truncate}). Blocking. */
    public long truncate(long cut) throws IOException {
        return slot.truncate(cut);
    }

    /** The shard's manifest now: its sealed blocks, and the sequence below which everything is in them. */
    public io.timberdb.storage.manifest.Manifest manifest() {
        return shard().manifest();
    }

    /** A sealed block's file, for a copy to another replica. */
    public java.nio.file.Path blockFile(String name) {
        return shard().directory().resolve(ShardFiles.BLOCKS_DIR).resolve(name);
    }

    /**
     * Brings the shard up from another replica's blocks, keeping its own below {@code keepBelow}
     * (see {@link ShardSlot#install}). Blocking.
     */
    public void install(long sealedThrough, long keepBelow, List<io.timberdb.storage.manifest.BlockRef> copies,
                        ShardSlot.BlockSource source) throws IOException {
        slot.install(sealedThrough, keepBelow, copies, source);
    }

    /** Deletes the shard's files; it reopens empty. Blocking. */
    public void drop() throws IOException {
        slot.drop();
    }
}
