package io.timberdb.query.control;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running query's figures, updated by the executor as shards answer and read by the status
 * API meanwhile.
 *
 * <p>Thread-safe: every figure is an atomic; a reader may see one shard's answer counted in some
 * figures and not yet in others.
 */
public final class QueryProgress {

    /** Progress nobody reads, for callers outside the registry (tests, internal queries). */
    public static QueryProgress untracked() {
        return new QueryProgress();
    }

    private final AtomicInteger shardsTotal = new AtomicInteger();
    private final AtomicInteger shardsDone = new AtomicInteger();
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();

    public void planned(int shards) {
        shardsTotal.set(shards);
    }

    /** One shard answered with these figures (0 and 0 for a shard that failed). */
    public void shardDone(long scannedEntries, long matchedEntries) {
        scanned.addAndGet(scannedEntries);
        matched.addAndGet(matchedEntries);
        shardsDone.incrementAndGet();
    }

    int shardsTotal() {
        return shardsTotal.get();
    }

    int shardsDone() {
        return shardsDone.get();
    }

    long scanned() {
        return scanned.get();
    }

    long matched() {
        return matched.get();
    }
}
