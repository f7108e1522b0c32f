package io.timberdb.storage.shard;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardVersion;
import io.timberdb.storage.block.BlockCache;
import io.timberdb.storage.block.BlockMeta;
import io.timberdb.storage.block.BlockReader;
import io.timberdb.storage.block.BlockWriter;
import io.timberdb.storage.block.CorruptBlockException;
import io.timberdb.storage.fs.Directories;
import io.timberdb.storage.manifest.BlockRef;
import io.timberdb.storage.manifest.Manifest;
import io.timberdb.storage.manifest.ManifestFile;
import io.timberdb.storage.wal.EncodedEntries;
import io.timberdb.storage.wal.WriteAheadLog;
import java.io.Closeable;
import java.io.IOException;
import java.security.SecureRandom;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.TreeMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard on this node: sealed blocks on disk, and an active block in memory whose entries
 * are durable in the WAL.
 *
 * <p>Write path: an append goes to the WAL; once fsynced, the WAL's writer adds the batch to the
 * active block (so a query sees every acknowledged entry), then the append completes. When the
 * {@link BlockRotation} says so, {@link #seal()} writes the active block's entries to a block file,
 * records it in the manifest (which advances the sealed-through sequence), swaps in a new active
 * block holding what arrived meanwhile, and deletes WAL segments that hold only sealed entries.
 * A crash at any point leaves a consistent shard: a block the manifest does not name is removed
 * on open, and WAL replay skips entries below the manifest's sealed-through sequence.
 *
 * <p>Read path: a query reads one {@link State} (blocks + active block) so that every entry is
 * seen exactly once even while a seal swaps them; blocks are pruned by time, then by page indexes,
 * before any page is decompressed. A block found corrupt is quarantined: moved aside, marked in
 * the manifest, and reported by every later query as unreadable (the result is partial).
 *
 * <p>Data version ({@link #version()}, for the query service's result cache): a random epoch drawn
 * at open and a counter bumped <em>after</em> each change a query could see (an acknowledged
 * append, a seal, an expiry, a quarantine) is visible; a query reads it <em>before</em> it reads the
 * state, so the version an answer carries is never newer than the data it saw.
 *
 * <p>Thread-safety: appends go through the WAL's queue; the WAL's single writer adds to the active
 * block under {@link #swap}; {@link #seal()}, {@link #quarantine}, {@link #expireBefore} and
 * {@link #close()} are synchronized (one at a time: a close waits for a seal in progress, and
 * whatever was queued for the shard after it does nothing); queries read the volatile
 * {@link #state} without locks.
 */
final class Shard implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(Shard.class);
    private static final SecureRandom EPOCHS = new SecureRandom();

    /** What queries read: the open blocks, the active block, and what could not be read. */
    record State(List<SealedBlock> blocks, ActiveBlock active, List<String> unreadable) {
    }

    private final ShardId id;
    private final Path dir;
    private final StoreOptions options;
    private final BlockCache cache;
    private final ManifestFile manifestFile;
    private final ManifestFile.CrashPoints crashPoints;
    /** Held by the WAL writer while adding to the active block, and by a seal while swapping it. */
    private final ReentrantLock swap = new ReentrantLock();
    /** Drawn at open, never 0 ({@link ShardVersion#ABSENT}): a reopened shard never repeats a version. */
    private final long epoch = drawEpoch();
    /** Changes visible to queries since open; bumped after each is visible, read before a query reads {@link #state}. */
    private final AtomicLong changes = new AtomicLong();
    /** Replaced as a whole; volatile so that queries see a consistent, current state. */
    private volatile State state;
    /** Guarded by {@code this} (seal and quarantine). */
    private Manifest manifest;
    /** Set once, after replay. */
    private WriteAheadLog wal;
    /**
     * Set by {@link #close()} and {@link #abandon()}, under {@code this}: a seal, expiry or
     * quarantine queued before then finds it and does nothing, so that nothing of a closed shard
     * writes into a directory that a reopened shard now owns.
     */
    private boolean closed;

    /**
     * The leader epochs of a replicated shard, null for one that is not: an unreplicated shard
     * commits each batch once it is durable; a replicated one only when {@link #commit} says so.
     */
    private final EpochHistory epochs;
    /** Durable batches not yet committed, oldest first (replicated shards only). Guarded by {@link #swap}. */
    private final ArrayDeque<LogPiece> uncommitted = new ArrayDeque<>();
    /** Appends waiting for their end to be committed, by end sequence. Guarded by {@link #swap}. */
    private final TreeMap<Long, List<CompletableFuture<Void>>> commitWaiters = new TreeMap<>();
    /**
     * Why appends cannot be committed now (this replica stopped leading, or its ISR is below the
     * minimum), or null: an append that starts waiting meanwhile fails at once instead of waiting
     * for a commit that cannot come. Guarded by {@link #swap}.
     */
    private RuntimeException commitBlocked;
    /** One past the last durable entry; volatile for readers on other threads. */
    private volatile long durableEnd;
    /** One past the last committed (visible) entry: the active block's end. Volatile for readers. */
    private volatile long committed;
    /** Completed and replaced each time a batch becomes durable: what a waiting fetch waits on. */
    private volatile CompletableFuture<Void> durableSignal = new CompletableFuture<>();
    /** Told of each batch once it is durable (after {@link #durableEnd} moved): the leader's replication. */
    private volatile Runnable durableListener = () -> { };
    /** The batches appended lately, by key, so that a retried batch is not stored twice. */
    private final RecentBatches recent = new RecentBatches(RecentBatches.DEFAULT_CAPACITY);

    private Shard(ShardId id, Path dir, StoreOptions options, BlockCache cache, Manifest manifest,
                  ManifestFile.CrashPoints crashPoints, EpochHistory epochs) {
        this.id = id;
        this.dir = dir;
        this.options = options;
        this.cache = cache;
        this.crashPoints = crashPoints;
        this.manifestFile = new ManifestFile(dir, crashPoints);
        this.manifest = manifest;
        this.epochs = epochs;
    }

    /** Opens (creating if needed) the shard in {@code dir}: its blocks, then a replay of its WAL tail. */
    static Shard open(Path dir, ShardId id, StoreOptions options, BlockCache cache) throws IOException {
        return open(dir, id, options, cache, ManifestFile.CrashPoints.NONE, false);
    }

    /**
     * Opens (creating if needed) the shard in {@code dir}; {@code replicated} makes it a replicated
     * shard (one whose entries become visible only once committed) if it is not one already. A
     * shard found replicated stays so.
     */
    static Shard open(Path dir, ShardId id, StoreOptions options, BlockCache cache, boolean replicated)
            throws IOException {
        return open(dir, id, options, cache, ManifestFile.CrashPoints.NONE, replicated);
    }

    /** As {@link #open(Path, ShardId, StoreOptions, BlockCache)}, with crash points injected into sealing (tests). */
    static Shard open(Path dir, ShardId id, StoreOptions options, BlockCache cache, ManifestFile.CrashPoints crashPoints)
            throws IOException {
        return open(dir, id, options, cache, crashPoints, false);
    }

    private static Shard open(Path dir, ShardId id, StoreOptions options, BlockCache cache,
                              ManifestFile.CrashPoints crashPoints, boolean replicated) throws IOException {
        Manifest manifest = new ManifestFile(dir).load();
        ShardFiles.removeOrphans(dir, manifest);
        EpochHistory epochs = null;
        if (replicated || EpochHistory.exists(dir)) {
            Directories.createDurably(dir);
            epochs = EpochHistory.load(dir);
        }
        Shard shard = new Shard(id, dir, options, cache, manifest, crashPoints, epochs);
        List<SealedBlock> blocks = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (BlockRef ref : manifest.blocks()) {
            if (ref.quarantined()) {
                unreadable.add(quarantinedMessage(id, ref.name(), "found corrupt earlier"));
                continue;
            }
            try {
                blocks.add(new SealedBlock(ref, BlockReader.open(dir.resolve(ShardFiles.BLOCKS_DIR).resolve(ref.name()), cache)));
            } catch (CorruptBlockException | IOException e) {
                shard.manifest = shard.quarantineInManifest(ref.name(), e);
                unreadable.add(quarantinedMessage(id, ref.name(), e.getMessage()));
            }
        }
        long start = manifest.sealedThrough();
        shard.state = new State(List.copyOf(blocks), new ActiveBlock(start), List.copyOf(unreadable));
        shard.committed = start;
        shard.durableEnd = start;
        shard.wal = WriteAheadLog.open(dir.resolve(ShardFiles.WAL_DIR), id.toString(), options.wal(), start,
                shard::onDurable);
        if (epochs != null) {
            shard.commit(HighWatermarkFile.read(dir)); // what was committed before the restart is visible again
        }
        return shard; // a long replayed tail is sealed in the background: the store's sealer sees it due
    }

    /** Encoded bytes of the entries not yet sealed (held in memory by the active block). */
    long unsealedBytes() {
        return state.active().bytes();
    }

    /** The WAL's listener: adds a durable batch's unsealed entries to the active block. */
    private void onDurable(long baseSequence, EncodedEntries batch) {
        long end = baseSequence + batch.size();
        swap.lock();
        try {
            ActiveBlock active = state.active();
            long skip = active.startSequence() - baseSequence; // entries already in blocks (replay only)
            if (skip >= batch.size()) {
                durableEnd = Math.max(durableEnd, end);
                return;
            }
            int from = (int) Math.max(0, skip);
            if (epochs == null) {
                active.add(batch, from, System.nanoTime());
                committed = end;
                changes.incrementAndGet(); // before the WAL completes the append: acknowledged means versioned
            } else {
                uncommitted.add(new LogPiece(baseSequence + from, batch.range(from, batch.size())));
            }
            durableEnd = end;
        } finally {
            swap.unlock();
        }
        if (epochs != null) {
            recent.remember(batch, baseSequence);
            CompletableFuture<Void> signal = durableSignal;
            durableSignal = new CompletableFuture<>();
            signal.complete(null);
            durableListener.run();
        }
    }

    /**
     * Appends a batch; completes with its base sequence once it is durable and visible to
     * queries. On a replicated shard it completes once durable here; {@link #awaitCommit} then
     * waits for it to be committed. A batch whose key ({@link RecentBatches}) this shard appended
     * lately is not appended again: the future is the first append's.
     */
    CompletableFuture<Long> append(List<LogEntry> batch) {
        if (epochs == null) {
            return wal.append(batch);
        }
        return recent.appendOnce(batch, () -> wal.append(batch));
    }

    /** Appends a leader's batch at its sequence (a follower); completes once durable here. */
    CompletableFuture<Long> appendAt(long baseSequence, EncodedEntries batch) {
        return wal.appendAt(baseSequence, batch);
    }

    /**
     * Makes the entries below {@code highWatermark} (and below the durable end) visible: moves the
     * uncommitted batches that end at or below it into the active block, and completes the appends
     * waiting for them. A batch that straddles the mark waits for the next call.
     */
    void commit(long highWatermark) {
        if (epochs == null) {
            return; // committed as soon as durable
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        swap.lock();
        try {
            long limit = Math.min(highWatermark, durableEnd);
            long reached = committed;
            ActiveBlock active = state.active();
            long now = System.nanoTime();
            while (!uncommitted.isEmpty() && uncommitted.peekFirst().endSequence() <= limit) {
                LogPiece piece = uncommitted.pollFirst();
                active.add(piece.entries(), 0, now);
                reached = piece.endSequence();
            }
            if (reached == committed) {
                return;
            }
            committed = reached;
            changes.incrementAndGet();
            var ready = commitWaiters.headMap(reached, true);
            ready.values().forEach(done::addAll);
            ready.clear();
        } finally {
            swap.unlock();
        }
        done.forEach(f -> f.complete(null));
    }

    /** Completes once the entries below {@code end} are committed (at once on an unreplicated shard). */
    CompletableFuture<Void> awaitCommit(long end) {
        swap.lock();
        try {
            if (committed >= end || epochs == null) {
                return CompletableFuture.completedFuture(null);
            }
            if (commitBlocked != null) {
                return CompletableFuture.failedFuture(commitBlocked);
            }
            CompletableFuture<Void> waiter = new CompletableFuture<>();
            commitWaiters.computeIfAbsent(end, e -> new ArrayList<>()).add(waiter);
            return waiter;
        } finally {
            swap.unlock();
        }
    }

    /**
     * Fails every append waiting to be committed, and every later one until
     * {@link #unblockCommits()}: this replica stopped leading, or its ISR fell below the minimum.
     */
    void blockCommits(RuntimeException cause) {
        swap.lock();
        try {
            commitBlocked = cause;
        } finally {
            swap.unlock();
        }
        failCommitWaiters(cause);
    }

    /** Lets appends wait for their commit again. */
    void unblockCommits() {
        swap.lock();
        try {
            commitBlocked = null;
        } finally {
            swap.unlock();
        }
    }

    /** Fails every append waiting to be committed (this replica stopped leading, or closes). */
    void failCommitWaiters(RuntimeException cause) {
        List<CompletableFuture<Void>> failed = new ArrayList<>();
        swap.lock();
        try {
            commitWaiters.values().forEach(failed::addAll);
            commitWaiters.clear();
        } finally {
            swap.unlock();
        }
        failed.forEach(f -> f.completeExceptionally(cause));
    }

    /**
     * The log from sequence {@code from} on, committed and uncommitted, in pieces of about
     * {@code maxBytes} at most (at least one piece when there is any). Empty when {@code from} is
     * at or past the durable end; {@code from} must not be below {@link #logStart()}.
     */
    List<LogPiece> read(long from, long maxBytes) {
        List<LogPiece> out = new ArrayList<>();
        List<LogPiece> pending;
        ActiveBlock active;
        swap.lock();
        try {
            active = state.active();
            pending = List.copyOf(uncommitted);
        } finally {
            swap.unlock();
        }
        active.collect(from, maxBytes, out);
        long taken = 0;
        for (LogPiece piece : out) {
            taken += piece.entries().encodedLength(0, piece.entries().size());
        }
        for (LogPiece piece : pending) {
            if (!out.isEmpty() && taken >= maxBytes) {
                break;
            }
            if (piece.endSequence() <= from) {
                continue;
            }
            int skip = (int) Math.max(0, from - piece.baseSequence());
            EncodedEntries entries = piece.entries().range(skip, piece.entries().size());
            out.add(new LogPiece(piece.baseSequence() + skip, entries));
            taken += entries.encodedLength(0, entries.size());
        }
        return out;
    }

    /** The first sequence the log still holds outside blocks: below it, entries are only in sealed blocks. */
    long logStart() {
        return state.active().startSequence();
    }

    /** One past the last durable entry. */
    long durableEnd() {
        return durableEnd;
    }

    /** One past the last committed (visible) entry. */
    long committed() {
        return committed;
    }

    /** Completes at the next batch that becomes durable. */
    CompletableFuture<Void> durableSignal() {
        return durableSignal;
    }

    /** Sets what is told of each durable batch (replicated shards; the leader's replication). */
    void onDurable(Runnable listener) {
        durableListener = listener == null ? () -> { } : listener;
    }

    /** The leader epochs, or null for an unreplicated shard. */
    EpochHistory epochs() {
        return epochs;
    }

    /** Writes the committed point to the shard's high-watermark file (replicated shards). */
    void checkpointCommitted() throws IOException {
        if (epochs != null) {
            HighWatermarkFile.write(dir, committed);
        }
    }

    /** The manifest as last saved. */
    synchronized Manifest manifest() {
        return manifest;
    }

    /** The shard's directory. */
    Path directory() {
        return dir;
    }

    /** Whether the active block is due to be sealed under the shard's rotation. */
    boolean sealDue() {
        ActiveBlock active = state.active();
        int size = active.size();
        return size > 0 && options.rotation().due(size, active.bytes(),
                Duration.ofNanos(System.nanoTime() - active.firstAt()));
    }

    /** Whether the active block holds entries at all (a seal would write a block). */
    boolean hasUnsealed() {
        return state.active().size() > 0;
    }

    /**
     * Seals every entry of the active block that is there when the call starts into a block
     * file. Blocking disk work; one seal at a time. A failure leaves the entries where they were
     * (in the WAL and the active block): nothing is lost, and a later seal retries.
     */
    synchronized void seal() throws IOException {
        if (closed) {
            return;
        }
        ActiveBlock active = state.active();
        int count = active.size();
        if (count == 0) {
            return;
        }
        long first = active.startSequence();
        String name = ShardFiles.blockName(first);
        Path blocksDir = dir.resolve(ShardFiles.BLOCKS_DIR);
        Directories.createDurably(blocksDir);
        crashPoints.before("write-block");
        BlockWriter writer = new BlockWriter(options.blocks().withCompression(options.partitions().compression(id.partition())));
        BlockMeta meta = writer.write(blocksDir.resolve(name), active.sealInput(count));
        crashPoints.before("save-manifest");
        BlockRef ref = new BlockRef(name, first, first + count, meta.minTimestamp(), meta.maxTimestamp(), count,
                meta.sizeBytes(), meta.codec().id(), false);
        Manifest next = manifest.withBlock(ref);
        manifestFile.save(next);
        manifest = next;
        crashPoints.before("swap-active-block");
        SealedBlock sealed = new SealedBlock(ref, BlockReader.open(blocksDir.resolve(name), cache));
        swap.lock();
        try {
            State current = state;
            List<SealedBlock> blocks = new ArrayList<>(current.blocks());
            blocks.add(sealed);
            state = new State(List.copyOf(blocks), current.active().after(count, System.nanoTime()), current.unreadable());
            changes.incrementAndGet();
        } finally {
            swap.unlock();
        }
        crashPoints.before("delete-wal-segments");
        int deleted = wal.deleteSegmentsIfSealed(next.sealedThrough());
        log.debug("shard {}: sealed {} entries into {} ({} bytes, {}); {} WAL segment(s) deleted", id, count, name,
                meta.sizeBytes(), meta.codec(), deleted);
    }

    /**
     * Removes the sealed blocks whose newest entry is older than {@code cutoff} (retention): the
     * manifest without them is saved first, then queries stop seeing them, then their files are
     * deleted. A crash in between leaves files the manifest does not name, which the next open
     * removes. The active block is left alone; its entries expire once sealed.
     *
     * @return what was removed
     */
    synchronized ShardStore.Expired expireBefore(Instant cutoff) throws IOException {
        List<BlockRef> expired = manifest.blocks().stream().filter(b -> b.maxTimestamp().isBefore(cutoff)).toList();
        if (closed || expired.isEmpty()) {
            return new ShardStore.Expired(0, 0, 0);
        }
        Set<String> names = new HashSet<>();
        expired.forEach(b -> names.add(b.name()));
        crashPoints.before("save-expired-manifest");
        Manifest next = manifest.withoutBlocks(names);
        manifestFile.save(next);
        manifest = next;
        List<SealedBlock> closing = new ArrayList<>();
        swap.lock();
        try {
            State current = state;
            List<SealedBlock> kept = new ArrayList<>();
            for (SealedBlock block : current.blocks()) {
                (names.contains(block.ref().name()) ? closing : kept).add(block);
            }
            // a quarantined block that expired no longer makes results partial: its entries are gone either way
            List<String> unreadable = current.unreadable().stream().filter(u -> names.stream().noneMatch(u::contains)).toList();
            state = new State(List.copyOf(kept), current.active(), unreadable);
            changes.incrementAndGet();
        } finally {
            swap.unlock();
        }
        crashPoints.before("delete-expired-blocks");
        long entries = 0;
        long bytes = 0;
        for (BlockRef ref : expired) {
            entries += ref.entries();
            bytes += ref.bytes();
        }
        for (SealedBlock block : closing) {
            block.close(); // a query still reading it skips it (see ShardStore's scan)
            cache.invalidate(block.reader().path());
        }
        expired.forEach(ref -> ShardFiles.deleteExpired(dir, ref));
        Directories.sync(dir.resolve(ShardFiles.BLOCKS_DIR));
        return new ShardStore.Expired(expired.size(), entries, bytes);
    }

    /** The state a query reads. */
    State state() {
        return state;
    }

    /** The data version now; read it before {@link #state()} for an answer's version. */
    ShardVersion version() {
        return new ShardVersion(epoch, changes.get());
    }

    private static long drawEpoch() {
        long drawn;
        do {
            drawn = EPOCHS.nextLong();
        } while (drawn == ShardVersion.ABSENT.epoch());
        return drawn;
    }

    /**
     * Takes a block that turned out corrupt out of service: moves its file to {@code quarantine/},
     * marks it in the manifest, and makes later queries report it as unreadable.
     *
     * @return what queries report about it
     */
    synchronized String quarantine(SealedBlock block, Exception cause) {
        String message = quarantinedMessage(id, block.ref().name(), cause.getMessage());
        State current = state;
        if (closed || !current.blocks().contains(block)) {
            return message; // another query got here first, or the shard is closed (and may be reopened)
        }
        log.error("shard {}: block {} is corrupt and is quarantined: {}", id, block.ref().name(), cause.getMessage());
        block.close();
        cache.invalidate(block.reader().path());
        manifest = quarantineInManifest(block.ref().name(), cause);
        List<SealedBlock> blocks = new ArrayList<>(current.blocks());
        blocks.remove(block);
        List<String> unreadable = new ArrayList<>(current.unreadable());
        unreadable.add(message);
        swap.lock();
        try {
            state = new State(List.copyOf(blocks), state.active(), List.copyOf(unreadable));
            changes.incrementAndGet();
        } finally {
            swap.unlock();
        }
        return message;
    }

    private Manifest quarantineInManifest(String name, Exception cause) {
        ShardFiles.quarantine(dir, name);
        Manifest next = manifest.withQuarantined(name);
        try {
            manifestFile.save(next);
        } catch (IOException e) {
            log.warn("shard {}: could not record the quarantine of {} in the manifest ({}); it will be found again",
                    id, name, e.toString());
        }
        return next;
    }

    private static String quarantinedMessage(ShardId id, String block, String why) {
        return "block " + block + " of shard " + id + " is corrupt and quarantined (" + why + ")";
    }

    ShardId id() {
        return id;
    }

    /** Entries held: in blocks and in the active block. */
    long entryCount() {
        State s = state;
        long n = s.active().size();
        for (SealedBlock b : s.blocks()) {
            n += b.ref().entries();
        }
        return n;
    }

    /** Why the shard's WAL went offline, or null. */
    TimberException failure() {
        return wal.failure();
    }

    /** Stops without sealing or deleting anything, as a crash would (tests): the WAL and files stay as they are. */
    synchronized void abandon() {
        closed = true;
        failCommitWaiters(new TimberException(io.timberdb.model.error.ErrorCode.UNAVAILABLE,
                "shard " + id + " closed before the append was committed"));
        wal.close();
        state.blocks().forEach(SealedBlock::close);
    }

    /**
     * A graceful stop: writes what is queued, seals the active block, and deletes the WAL, so the
     * next open replays nothing. When sealing fails, the WAL keeps the entries for the next open.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        wal.close();
        failCommitWaiters(new TimberException(io.timberdb.model.error.ErrorCode.UNAVAILABLE,
                "shard " + id + " closed before the append was committed"));
        try {
            if (failure() == null) {
                seal();
                wal.deleteSegmentsIfSealed(manifest.sealedThrough());
                checkpointCommitted();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("shard {}: could not seal on close; its WAL will be replayed on the next open", id, e);
        }
        closed = true;
        state.blocks().forEach(SealedBlock::close);
    }
}
