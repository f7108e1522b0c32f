package io.timberdb.storage.shard;

import io.timberdb.model.api.LogEntry;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The batches a replicated shard appended lately, by key (the first entry's id and the entry
 * count), so that a batch the ingest service retries (after a timeout, or through a new leader) is
 * stored once. The ingest service retries a shard's batch whole, with the ids it gave the entries
 * the first time, so the key identifies the batch. Both appends from clients and batches copied
 * from a leader or replayed from the WAL are remembered, so a new leader knows what its
 * predecessor stored. The window is the last {@code capacity} batches.
 *
 * <p>Thread-safe (synchronized).
 */
final class RecentBatches {

    /** How many batches a shard remembers. */
    static final int DEFAULT_CAPACITY = 8192;

    private record Key(String firstId, int count) {
    }

    private final int capacity;
    private final Map<Key, CompletableFuture<Long>> byKey = new HashMap<>();
    private final ArrayDeque<Key> order = new ArrayDeque<>();

    RecentBatches(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Appends {@code batch} with {@code append} unless a batch of the same key is remembered; the
     * future is the base sequence of the (first) append. A failed append is forgotten, so that a
     * retry appends again.
     */
    CompletableFuture<Long> appendOnce(List<LogEntry> batch, Supplier<CompletableFuture<Long>> append) {
        if (batch.isEmpty()) {
            return append.get();
        }
        Key key = new Key(batch.get(0).id(), batch.size());
        CompletableFuture<Long> mine = new CompletableFuture<>();
        synchronized (this) {
            CompletableFuture<Long> earlier = byKey.get(key);
            if (earlier != null && !earlier.isCompletedExceptionally()) {
                return earlier;
            }
            put(key, mine);
        }
        CompletableFuture<Long> appended;
        try {
            appended = append.get();
        } catch (RuntimeException e) {
            forget(key, mine);
            throw e;
        }
        appended.whenComplete((base, failure) -> {
            if (failure != null) {
                forget(key, mine);
                mine.completeExceptionally(failure);
            } else {
                mine.complete(base);
            }
        });
        return mine;
    }

    /** Remembers a durable batch that came another way (a leader's batch, WAL replay). */
    void remember(List<LogEntry> batch, long baseSequence) {
        if (batch.isEmpty()) {
            return;
        }
        Key key = new Key(batch.get(0).id(), batch.size());
        synchronized (this) {
            if (!byKey.containsKey(key)) {
                put(key, CompletableFuture.completedFuture(baseSequence));
            }
        }
    }

    /** How many batches are remembered. */
    synchronized int size() {
        return byKey.size();
    }

    private void put(Key key, CompletableFuture<Long> future) {
        if (byKey.put(key, future) == null) {
            order.addLast(key);
        }
        while (order.size() > capacity) {
            byKey.remove(order.pollFirst());
        }
    }

    private synchronized void forget(Key key, CompletableFuture<Long> future) {
        if (byKey.remove(key, future)) {
            order.remove(key);
        }
    }
}
