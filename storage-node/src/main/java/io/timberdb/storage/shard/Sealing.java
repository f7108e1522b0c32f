package io.timberdb.storage.shard;

import io.timberdb.model.shard.ShardId;
import io.timberdb.storage.ShardBusyException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * When a store's shards seal, and the backpressure that keeps their un-sealed entries bounded.
 *
 * <p>One sealer thread for the whole store (sealing is disk- and CPU-heavy, and one block's
 * decoded entries at a time is what the heap is sized for) seals a shard when its rotation is
 * due, checked after every append and every second, and, under memory pressure, the shard with
 * the most un-sealed bytes whether due or not. Un-sealed entries are held in memory, so they are
 * bounded: {@link StoreOptions#maxUnsealedBytes()} for the whole store, and two active blocks'
 * worth ({@link BlockRotation#MAX_ACTIVE_BYTES} each: one being sealed, one filling) per shard.
 * Past half the store's bound the fullest shard is sealed; past the bound an append waits for
 * seals ({@link #awaitRoom}) and, after {@link #MAX_ROOM_WAIT}, fails with {@link ShardBusyException}
 * (503, retry), having stored nothing.
 *
 * <p>Thread-safe.
 */
final class Sealing {

    private static final Logger log = LoggerFactory.getLogger(Sealing.class);

    /** How long an append waits for seals to make room before it is refused as busy (503). */
    static final Duration MAX_ROOM_WAIT = Duration.ofSeconds(10);

    private final long maxUnsealedBytes;
    /** The store's open shards, healthy or not. */
    private final Supplier<Iterable<Shard>> shards;
    private final ScheduledExecutorService sealer;
    /** Shards with a seal queued on {@link #sealer}, so that appends do not queue one each. */
    private final Set<ShardId> sealsQueued = ConcurrentHashMap.newKeySet();
    /**
     * Completed, and replaced, after every seal attempt: appends that wait for memory to be freed
     * wait on it, then look again. Volatile: read by appenders, replaced by the sealer.
     */
    private volatile CompletableFuture<Void> sealAttempted = new CompletableFuture<>();
    /** {@link #MAX_ROOM_WAIT}, shorter in tests; volatile: set before appends. */
    private volatile Duration roomWait = MAX_ROOM_WAIT;
    /** Set by {@link #stop()}; volatile so that a queued seal sees it. */
    private volatile boolean stopped;

    Sealing(long maxUnsealedBytes, Supplier<Iterable<Shard>> shards) {
        this.maxUnsealedBytes = maxUnsealedBytes;
        this.shards = shards;
        this.sealer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shard-sealer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts checking every second for rotations due by time (and any seal an append did not trigger). */
    void start() {
        sealer.scheduleWithFixedDelay(this::sealDueShards, 1, 1, TimeUnit.SECONDS);
    }

    /** Completes at once while {@code shard} has room for more un-sealed entries, else once seals made room. */
    Mono<Void> awaitRoom(Shard shard) {
        return awaitRoom(shard, System.nanoTime() + roomWait.toNanos());
    }

    private Mono<Void> awaitRoom(Shard shard, long deadline) {
        return Mono.defer(() -> {
            CompletableFuture<Void> attempted = sealAttempted; // read before looking, so that no seal is missed
            String full = fullness(shard);
            if (full == null) {
                return Mono.empty();
            }
            requestSeals(shard);
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Mono.error(new ShardBusyException("shard " + shard.id() + " is busy: " + full
                        + ", and sealing has not caught up; retry shortly"));
            }
            return Mono.fromFuture(attempted, false)
                    .timeout(Duration.ofNanos(left), Mono.empty())
                    .then(awaitRoom(shard, deadline));
        });
    }

    /** Why {@code shard} has no room for more un-sealed entries, or null when it has. */
    private String fullness(Shard shard) {
        long own = shard.unsealedBytes();
        if (own >= 2 * BlockRotation.MAX_ACTIVE_BYTES) {
            return "its un-sealed entries take " + own + " bytes of memory (the bound is "
                    + 2 * BlockRotation.MAX_ACTIVE_BYTES + ")";
        }
        long total = unsealedBytes();
        if (total >= maxUnsealedBytes) {
            return "un-sealed entries take " + total + " bytes of memory on this node (timberdb.storage.max-unsealed-size is "
                    + maxUnsealedBytes + ")";
        }
        return null;
    }

    /** Tests: shortens how long an append waits for room. */
    void roomWait(Duration wait) {
        roomWait = wait;
    }

    /** Encoded bytes of un-sealed entries in every open shard (held in memory). */
    long unsealedBytes() {
        long total = 0;
        for (Shard shard : shards.get()) {
            total += shard.unsealedBytes();
        }
        return total;
    }

    /** After an append: queues a seal of {@code shard} if its rotation says so, or of the fullest shard under memory pressure. */
    void sealIfDue(Shard shard) {
        if (shard.sealDue()) {
            queueSeal(shard);
        } else if (underPressure()) {
            queueSeal(fullest());
        }
    }

    /** For an append that found no room: queues the seals that make room. */
    private void requestSeals(Shard shard) {
        queueSeal(shard.unsealedBytes() >= BlockRotation.MAX_ACTIVE_BYTES ? shard : fullest());
    }

    /** Whether un-sealed entries take half the store's bound: then the fullest shard is sealed, due or not. */
    private boolean underPressure() {
        return unsealedBytes() >= maxUnsealedBytes / 2;
    }

    /** The open, healthy shard with the most un-sealed bytes, or null. */
    private Shard fullest() {
        Shard fullest = null;
        for (Shard shard : shards.get()) {
            if (shard.failure() == null && (fullest == null || shard.unsealedBytes() > fullest.unsealedBytes())) {
                fullest = shard;
            }
        }
        return fullest;
    }

    private void queueSeal(Shard shard) {
        if (shard != null && sealsQueued.add(shard.id())) {
            try {
                sealer.execute(() -> seal(shard));
            } catch (RejectedExecutionException e) {
                sealsQueued.remove(shard.id()); // stopping
            }
        }
    }

    /** Seals {@code shard} if it is due or memory is short; then wakes appends waiting for room. */
    private void seal(Shard shard) {
        sealsQueued.remove(shard.id());
        try {
            if (!stopped && shard.hasUnsealed()
                    && (shard.sealDue() || fullness(shard) != null || underPressure() && shard == fullest())) {
                shard.seal();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("shard {}: sealing failed; its entries stay in the WAL and a later seal retries: {}",
                    shard.id(), e.toString());
        } finally {
            CompletableFuture<Void> attempted = sealAttempted;
            sealAttempted = new CompletableFuture<>();
            attempted.complete(null);
        }
    }

    private void sealDueShards() {
        for (Shard shard : shards.get()) {
            if (shard.failure() == null) {
                seal(shard);
            }
        }
        if (underPressure()) {
            Shard fullest = fullest();
            if (fullest != null) {
                seal(fullest);
            }
        }
    }

    /** Stops sealing: a seal in progress finishes (the shards' own close seals what is left). */
    void stop() {
        stopped = true;
        sealer.shutdown();
        try {
            sealer.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
