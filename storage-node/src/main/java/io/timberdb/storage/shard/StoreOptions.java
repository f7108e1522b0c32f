package io.timberdb.storage.shard;

import io.timberdb.storage.block.BlockCache;
import io.timberdb.storage.block.BlockOptions;
import io.timberdb.storage.wal.WalOptions;

/**
 * How a {@link ShardStore} writes and caches.
 *
 * @param wal the write-ahead log's fsync policy, queue and segment size
 * @param blocks the block format's codec, page size and bloom filter settings
 * @param rotation when active blocks are sealed
 * @param pageCacheBytes the bound of the cache of decompressed pages, shared by every shard
 * @param indexCacheBytes the bound of the cache of block indexes (dictionaries, postings, filters)
 * @param partitions each partition's own settings (its compression); by default those of {@code blocks}
 * @param maxUnsealedBytes the bound of the entries held in memory by all active blocks together
 *        (their encoded size): past it, appends wait for seals to catch up (see {@link ShardStore})
 */
public record StoreOptions(WalOptions wal, BlockOptions blocks, BlockRotation rotation,
                           long pageCacheBytes, long indexCacheBytes, PartitionSettings partitions,
                           long maxUnsealedBytes) {

    /** The default bound of un-sealed entries in memory, for all shards of a node together. */
    public static final long DEFAULT_MAX_UNSEALED_BYTES = 192L << 20;

    /**
     * Per-batch fsync, LZ4 blocks of 4096-entry pages, 32 MiB rotation, 128 MiB page and 32 MiB
     * index caches, 192 MiB of un-sealed entries.
     */
    public static final StoreOptions DEFAULTS = new StoreOptions(WalOptions.DEFAULTS, BlockOptions.DEFAULTS,
            BlockRotation.DEFAULT, 128L << 20, 32L << 20);

    public StoreOptions {
        if (maxUnsealedBytes < BlockRotation.MAX_ACTIVE_BYTES) {
            throw new IllegalArgumentException("the bound of un-sealed entries must be at least one active block ("
                    + BlockRotation.MAX_ACTIVE_BYTES + " bytes), was " + maxUnsealedBytes);
        }
    }

    /** Options whose partitions all use the compression of {@code blocks}. */
    public StoreOptions(WalOptions wal, BlockOptions blocks, BlockRotation rotation, long pageCacheBytes,
                        long indexCacheBytes) {
        this(wal, blocks, rotation, pageCacheBytes, indexCacheBytes, PartitionSettings.uniform(blocks.compression()),
                DEFAULT_MAX_UNSEALED_BYTES);
    }

    /** The same options with another bound of un-sealed entries. */
    public StoreOptions withMaxUnsealedBytes(long bytes) {
        return new StoreOptions(wal, blocks, rotation, pageCacheBytes, indexCacheBytes, partitions, bytes);
    }

    /** The same options with another WAL configuration. */
    public StoreOptions withWal(WalOptions options) {
        return new StoreOptions(options, blocks, rotation, pageCacheBytes, indexCacheBytes, partitions, maxUnsealedBytes);
    }

    /** The same options with another rotation. */
    public StoreOptions withRotation(BlockRotation next) {
        return new StoreOptions(wal, blocks, next, pageCacheBytes, indexCacheBytes, partitions, maxUnsealedBytes);
    }

    /** The same options with other block settings (and their compression for every partition). */
    public StoreOptions withBlocks(BlockOptions next) {
        return new StoreOptions(wal, next, rotation, pageCacheBytes, indexCacheBytes,
                PartitionSettings.uniform(next.compression()), maxUnsealedBytes);
    }

    /** The same options with per-partition settings. */
    public StoreOptions withPartitions(PartitionSettings next) {
        return new StoreOptions(wal, blocks, rotation, pageCacheBytes, indexCacheBytes, next, maxUnsealedBytes);
    }

    BlockCache newCache() {
        return new BlockCache(pageCacheBytes, indexCacheBytes);
    }
}
