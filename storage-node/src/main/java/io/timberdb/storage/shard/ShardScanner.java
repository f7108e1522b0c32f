package io.timberdb.storage.shard;

import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardVersion;
import io.timberdb.storage.block.CorruptBlockException;
import io.timberdb.storage.wal.EncodedFilter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link ShardScan} over one state of a shard: its sealed blocks, on the query's thread and
 * helpers from a pool shared by every query of the store, and its active block. Blocks are taken
 * newest first by a newest-first scan (oldest first otherwise) so that the matches kept early are
 * mostly the final ones.
 *
 * <p>Thread-safe; {@link #close()} stops the helpers' pool.
 */
final class ShardScanner implements AutoCloseable {

    private final int threads;
    private final ExecutorService pool;

    /** A scanner using up to {@code threads} threads per query: the query's own and {@code threads − 1} helpers. */
    ShardScanner(int threads) {
        this.threads = threads;
        AtomicInteger number = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), task -> {
            Thread thread = new Thread(task, "shard-scan-" + number.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Scans one state of a shard: its blocks (pruned) and its active block, newest first for a
     * newest-first scan (oldest first otherwise), so that the matches kept early are mostly the
     * final ones. Answers with the shard's version, read first.
     */
    ShardQueryResult scan(Shard shard, QueryFilter filter, ShardScan scan) throws IOException {
        ShardVersion version = shard.version(); // before the state: the answer holds at least this version's data
        Shard.State state = shard.state();
        List<String> unreadable = Collections.synchronizedList(new ArrayList<>(state.unreadable()));
        List<SealedBlock> blocks = new ArrayList<>(state.blocks());
        blocks.sort(scan.newestFirst() ? Comparator.comparing((SealedBlock b) -> b.ref().maxTimestamp()).reversed()
                : Comparator.comparing((SealedBlock b) -> b.ref().minTimestamp()));
        if (scan.newestFirst()) {
            scanActive(state, filter, scan);
        }
        scanBlocks(shard, blocks, filter, scan, unreadable);
        if (!scan.newestFirst()) {
            scanActive(state, filter, scan);
        }
        return scan.result(List.copyOf(unreadable)).withVersion(version);
    }

    /**
     * Scans {@code blocks}, in their order, on the calling thread and on up to one helper per
     * other core: each takes the next block not yet taken, with its own {@link ShardScan#fork()}.
     * Helpers still queued when the caller has taken the last block are cancelled, so a busy pool
     * never makes a query wait for threads it does not need.
     */
    private void scanBlocks(Shard shard, List<SealedBlock> blocks, QueryFilter filter, ShardScan scan,
                            List<String> unreadable) throws IOException {
        int helpers = scan.explain() ? 0 : Math.min(threads, blocks.size()) - 1;
        AtomicInteger next = new AtomicInteger();
        List<ShardScan> parts = new ArrayList<>();
        // per helper: set by the helper when it starts, or by the caller to call it off first
        List<AtomicBoolean> claimed = new ArrayList<>();
        List<Future<?>> running = new ArrayList<>();
        for (int h = 0; h < helpers; h++) {
            ShardScan part = scan.fork();
            AtomicBoolean claim = new AtomicBoolean();
            try {
                running.add(pool.submit(() -> {
                    if (claim.compareAndSet(false, true)) {
                        scanBlocks(shard, blocks, next, filter, part, unreadable);
                    }
                    return null;
                }));
                parts.add(part);
                claimed.add(claim);
            } catch (RejectedExecutionException e) {
                break; // the store is closing: the caller scans alone
            }
        }
        Throwable failure = null;
        try {
            scanBlocks(shard, blocks, next, filter, scan, unreadable);
        } catch (IOException | RuntimeException e) {
            failure = e;
            next.set(blocks.size()); // the helpers stop after their current block
        }
        for (int h = 0; h < running.size(); h++) {
            if (claimed.get(h).compareAndSet(false, true)) {
                running.get(h).cancel(false); // never started: it has found nothing
                continue;
            }
            try {
                running.get(h).get();
                scan.absorb(parts.get(h));
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while scanning shard " + shard.id());
            }
        }
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    private static void scanBlocks(Shard shard, List<SealedBlock> blocks, AtomicInteger next, QueryFilter filter,
                                   ShardScan scan, List<String> unreadable) throws IOException {
        for (int i = next.getAndIncrement(); i < blocks.size(); i = next.getAndIncrement()) {
            SealedBlock block = blocks.get(i);
            try {
                block.scan(filter, scan);
            } catch (CorruptBlockException e) {
                unreadable.add(shard.quarantine(block, e));
            } catch (ClosedChannelException e) {
                if (shard.state().blocks().contains(block)) {
                    throw e;
                }
                // expired by retention while this scan read it: its entries are gone, as they would
                // be for a scan that started a moment later
            }
        }
    }

    private static void scanActive(Shard.State state, QueryFilter filter, ShardScan scan) {
        scan.active(state.active().size());
        if (!scan.explain()) {
            scan.skipped(state.active().forEach(EncodedFilter.of(filter), scan::accept));
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
