package io.timberdb.storage.shard;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.storage.wal.WalOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The place of one shard in the store: opens it at most once, remembers a failure to open (the
 * shard then stays offline until restart, its files untouched) and refuses to open after close.
 *
 * <p>Thread-safe: opening and closing are synchronized (opening is blocking disk work and runs
 * on the store's I/O scheduler); {@link #ifOpen()} reads a volatile field without locking so
 * that the append path does not block the event loop.
 */
final class ShardSlot {

    private static final Logger log = LoggerFactory.getLogger(ShardSlot.class);

    private final ShardId id;
    private final Path dir;
    private final WalOptions options;
    /** Set once under the lock; volatile so {@link #ifOpen()} can read it without the lock. */
    private volatile Shard shard;
    /** Guarded by {@code this}. */
    private RuntimeException failure;
    /** Guarded by {@code this}. */
    private boolean closed;

    ShardSlot(ShardId id, Path dir, WalOptions options) {
        this.id = id;
        this.dir = dir;
        this.options = options;
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
            return shard;
        }
        if (failure != null) {
            throw offline();
        }
        if (!create && !Files.isDirectory(dir.resolve(Shard.WAL_DIR))) {
            return null;
        }
        try {
            shard = Shard.open(dir, id, options);
            return shard;
        } catch (Exception e) {
            failure = e instanceof RuntimeException re ? re : new IllegalStateException(e.toString(), e);
            log.error("shard {} in {} could not be opened; it stays offline until restart", id, dir, e);
            throw offline();
        }
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
