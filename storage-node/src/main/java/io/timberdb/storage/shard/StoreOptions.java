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
 */
public record StoreOptions(WalOptions wal, BlockOptions blocks, BlockRotation rotation,
                           long pageCacheBytes, long indexCacheBytes, PartitionSettings partitions) {

    /** Per-batch fsync, LZ4 blocks of 1024-entry pages, 32 MiB rotation, 128 MiB page and 32 MiB index caches. */
    public static final StoreOptions DEFAULTS = new StoreOptions(WalOptions.DEFAULTS, BlockOptions.DEFAULTS,
            BlockRotation.DEFAULT, 128L << 20, 32L << 20);

    /** Options whose partitions all use the compression of {@code blocks}. */
    public StoreOptions(WalOptions wal, BlockOptions blocks, BlockRotation rotation, long pageCacheBytes,
                        long indexCacheBytes) {
        this(wal, blocks, rotation, pageCacheBytes, indexCacheBytes, PartitionSettings.uniform(blocks.compression()));
    }

    /** The same options with another WAL configuration. */
    public StoreOptions withWal(WalOptions options) {
        return new StoreOptions(options, blocks, rotation, pageCacheBytes, indexCacheBytes, partitions);
    }

    /** The same options with another rotation. */
    public StoreOptions withRotation(BlockRotation next) {
        return new StoreOptions(wal, blocks, next, pageCacheBytes, indexCacheBytes, partitions);
    }

    /** The same options with other block settings (and their compression for every partition). */
    public StoreOptions withBlocks(BlockOptions next) {
        return new StoreOptions(wal, next, rotation, pageCacheBytes, indexCacheBytes,
                PartitionSettings.uniform(next.compression()));
    }

    /** The same options with per-partition settings. */
    public StoreOptions withPartitions(PartitionSettings next) {
        return new StoreOptions(wal, blocks, rotation, pageCacheBytes, indexCacheBytes, next);
    }

    BlockCache newCache() {
        return new BlockCache(pageCacheBytes, indexCacheBytes);
    }
}
