package io.timberdb.storage.shard;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.storage.block.BlockCache;
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
        if (closed) {
            throw new TimberException(ErrorCode.UNAVAILABLE, "the shard store is closed");
        }
        if (shard != null) {
            if (shard.failure() == null) {
                return shard;
            }
            reopenAfterFailure();
        }
        if (failure != null) {
            throw offline();
        }
        if (!create && !Files.isDirectory(dir.resolve(ShardFiles.WAL_DIR))) {
            return null;
        }
        try {
            shard = Shard.open(dir, id, options, cache);
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

    /** Closes the shard if open and refuses later opens. */
    synchronized void close() {
        closed = true;
        if (shard != null) {
            shard.close();
        }
    }
}
