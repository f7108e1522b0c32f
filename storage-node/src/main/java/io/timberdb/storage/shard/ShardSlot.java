package io.timberdb.storage.shard;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.storage.block.BlockCache;
import io.timberdb.storage.wal.WalTruncation;
import java.io.IOException;
import io.timberdb.storage.fs.Directories;
import io.timberdb.storage.manifest.BlockRef;
import io.timberdb.storage.manifest.Manifest;
import io.timberdb.storage.manifest.ManifestFile;
import java.nio.channels.FileChannel;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The place of one shard in the store: opens it at most once, remembers a failure to open (the
 * shard then stays offline until restart, its files untouched) and refuses to open after close.
 *
 * <p>A shard whose WAL failed while open (a full disk, an I/O error) is reopened by the next
 * write that comes at least {@link #REOPEN_DELAY} after the failure was first seen: reopening
 * replays the WAL and truncates whatever the failed write left at its tail, so writes resume
 * once the disk has room again, and nothing that was acknowledged is lost.
 *
 * <p>Thread-safe: opening and closing are synchronized (opening is blocking disk work and runs
 * on the store's I/O scheduler); {@link #ifOpen()} reads a volatile field without locking so
 * that the append path does not block the event loop.
 */
final class ShardSlot {

    private static final Logger log = LoggerFactory.getLogger(ShardSlot.class);

    /** How long a failed shard answers its failure before a write tries to reopen it. */
    static final Duration REOPEN_DELAY = Duration.ofSeconds(1);

    private final ShardId id;
    private final Path dir;
    private final StoreOptions options;
    private final BlockCache cache;
    /** Set once under the lock; volatile so {@link #ifOpen()} can read it without the lock. */
    private volatile Shard shard;
    /** Guarded by {@code this}. */
    private RuntimeException failure;
    /** Given to each shard this slot opens: told of each durable batch (replicated shards). */
    private volatile Runnable durableListener;
    /** Guarded by {@code this}. */
    private boolean closed;
    /** When the open shard's WAL failure was first seen here, in nanoTime; 0 when none. Guarded by {@code this}. */
    private long failureSeenAt;

    ShardSlot(ShardId id, Path dir, StoreOptions options, BlockCache cache) {
        this.id = id;
        this.dir = dir;
        this.options = options;
        this.cache = cache;
    }

    /** The shard when it is already open, else null. Never blocks. */
    Shard ifOpen() {
        return shard;
    }

    /**
     * Opens the shard if needed. Blocking.
     *
     * @param create whether to create it when its directory does not exist
     * @return the shard, or null when it does not exist and {@code create} is false
     * @throws TimberException {@code UNAVAILABLE} when the shard failed to open or the store is closed
     */
    synchronized Shard open(boolean create) {
        return open(create, false);
    }

    /**
     * Opens the shard if needed, as a replicated shard when {@code replicated} (one found
     * replicated on disk stays so). Blocking.
     */
    synchronized Shard open(boolean create, boolean replicated) {
        if (closed) {
            throw new TimberException(ErrorCode.UNAVAILABLE, "the shard store is closed");
        }
        if (shard != null) {
            if (shard.failure() == null) {
                if (replicated && shard.epochs() == null) {
                    shard.close(); // reopened as a replicated shard: what it holds is committed
                    shard = null;
                } else {
                    return shard;
                }
            } else {
                reopenAfterFailure();
            }
        }
        if (failure != null) {
            throw offline();
        }
        if (!create && !Files.isDirectory(dir.resolve(ShardFiles.WAL_DIR))) {
            return null;
        }
        try {
            Shard opened = Shard.open(dir, id, options, cache, replicated);
            opened.onDurable(durableListener);
            shard = opened;
            return shard;
        } catch (Exception e) {
            failure = e instanceof RuntimeException re ? re : new IllegalStateException(e.toString(), e);
            log.error("shard {} in {} could not be opened; it stays offline until restart", id, dir, e);
            throw offline();
        }
    }

    /** Answers the WAL's failure, or, once {@link #REOPEN_DELAY} has passed, closes the shard for a reopen. */
    private void reopenAfterFailure() {
        long now = System.nanoTime();
        if (failureSeenAt == 0) {
            failureSeenAt = now;
        }
        if (now - failureSeenAt < REOPEN_DELAY.toNanos()) {
            throw shard.failure();
        }
        log.info("reopening shard {} after its WAL failed: {}", id, shard.failure().getMessage());
        shard.close();
        shard = null;
        failureSeenAt = 0;
    }

    private TimberException offline() {
        return new TimberException(ErrorCode.UNAVAILABLE, "shard " + id + " is offline: " + failure.getMessage(),
                null, failure);
    }

    /** Why the shard is offline (failed to open, or its WAL failed), or null. */
    synchronized String offlineReason() {
        if (failure != null) {
            return failure.getMessage();
        }
        Shard open = shard;
        return open == null || open.failure() == null ? null : open.failure().getMessage();
    }

    ShardId id() {
        return id;
    }

    /** Sets what the shard, and every later reopening of it, tells of each durable batch. */
    void onDurable(Runnable listener) {
        durableListener = listener;
        Shard open = shard;
        if (open != null) {
            open.onDurable(listener);
        }
    }

    /**
     * Cuts a replicated shard's log back to {@code cut} (a follower dropping what its former
     * leader never committed): closes the shard, cuts its WAL and epoch history, and reopens it.
     * Blocking.
     *
     * @return the log's end afterwards; above {@code cut} when the cut would reach into sealed
     *         blocks, which only {@link #drop} can undo
     */
    synchronized long truncate(long cut) throws IOException {
        Shard open = open(true, true);
        long sealed = open.logStart();
        if (cut < sealed) {
            return open.durableEnd();
        }
        if (open.durableEnd() <= cut) {
            return open.durableEnd();
        }
        long committedBefore = open.committed();
        open.abandon(); // no seal: the shard is cut and reopened as it lies on disk
        shard = null;
        long end = WalTruncation.truncate(dir.resolve(ShardFiles.WAL_DIR), cut);
        EpochHistory.load(dir).truncateFrom(end);
        // what was committed before the cut stays committed (a cut never goes below it): visible again at once
        HighWatermarkFile.write(dir, Math.min(end, Math.max(committedBefore, HighWatermarkFile.read(dir))));
        return open(true, true).durableEnd();
    }

    /**
     * Deletes everything of the shard (a replica that left, or one that must be copied afresh from
     * its leader). The slot can open it again, empty. Blocking.
     */
    synchronized void drop() throws IOException {
        if (shard != null) {
            shard.abandon();
            shard = null;
        }
        failure = null;
        failureSeenAt = 0;
        ShardFiles.deleteTree(dir);
    }

    /**
     * Brings the shard up from another replica's sealed blocks: keeps its own blocks that end at
     * or below {@code keepBelow} (a sequence where both replicas' blocks start or end, so the kept
     * and the copied blocks meet without a gap or an overlap), drops everything else it holds
     * (later blocks, its WAL), and adds {@code copies}, each written by {@code source} (into a
     * temporary file, forced, renamed). It reopens replicated with its log starting at
     * {@code sealedThrough}, everything below committed. The manifest is saved twice: first
     * naming only the kept blocks, then with the copies; a crash in between leaves a shorter,
     * consistent shard, and files no manifest names are removed on open. Blocking.
     *
     * @param keepBelow the end of the kept blocks; 0 (or less) keeps nothing
     */
    synchronized void install(long sealedThrough, long keepBelow, List<BlockRef> copies, BlockSource source)
            throws IOException {
        Shard open = open(true, true);
        Manifest current = open.manifest();
        List<BlockRef> kept = current.blocks().stream().filter(b -> keepBelow > 0 && b.endSequence() <= keepBelow)
                .toList();
        open.abandon();
        shard = null;
        ManifestFile manifests = new ManifestFile(dir);
        long keptEnd = kept.isEmpty() ? 0 : kept.get(kept.size() - 1).endSequence();
        manifests.save(new Manifest(current.generation() + 1, keptEnd, kept));
        ShardFiles.deleteTree(dir.resolve(ShardFiles.WAL_DIR));
        Path blocksDir = dir.resolve(ShardFiles.BLOCKS_DIR);
        Directories.createDurably(blocksDir);
        for (BlockRef ref : copies) {
            Path temp = blocksDir.resolve(ref.name() + ".copy");
            Files.deleteIfExists(temp);
            source.copy(ref, temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, blocksDir.resolve(ref.name()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Directories.sync(blocksDir);
        List<BlockRef> all = new java.util.ArrayList<>(kept);
        all.addAll(copies);
        EpochHistory.load(dir).truncateFrom(keptEnd);
        HighWatermarkFile.write(dir, sealedThrough);
        manifests.save(new Manifest(current.generation() + 2, sealedThrough, all));
        open(true, true);
    }

    /** Writes a block's bytes to a file (replication's copy from another replica). */
    @FunctionalInterface
    public interface BlockSource {
        void copy(BlockRef block, Path target) throws IOException;
    }

    /** Closes the shard if open and refuses later opens. */
    synchronized void close() {
        closed = true;
        if (shard != null) {
            shard.close();
        }
    }
}
