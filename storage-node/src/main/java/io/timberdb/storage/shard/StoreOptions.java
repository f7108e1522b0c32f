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
 */
public record StoreOptions(WalOptions wal, BlockOptions blocks, BlockRotation rotation,
                           long pageCacheBytes, long indexCacheBytes) {

    /** Per-batch fsync, LZ4 blocks of 1024-entry pages, 32 MiB rotation, 256 MiB page and 64 MiB index caches. */
    public static final StoreOptions DEFAULTS = new StoreOptions(WalOptions.DEFAULTS, BlockOptions.DEFAULTS,
            BlockRotation.DEFAULT, 256L << 20, 64L << 20);

    /** The same options with another WAL configuration. */
    public StoreOptions withWal(WalOptions options) {
        return new StoreOptions(options, blocks, rotation, pageCacheBytes, indexCacheBytes);
    }

    /** The same options with another rotation. */
    public StoreOptions withRotation(BlockRotation next) {
        return new StoreOptions(wal, blocks, next, pageCacheBytes, indexCacheBytes);
    }

    /** The same options with other block settings. */
    public StoreOptions withBlocks(BlockOptions next) {
        return new StoreOptions(wal, next, rotation, pageCacheBytes, indexCacheBytes);
    }

    BlockCache newCache() {
        return new BlockCache(pageCacheBytes, indexCacheBytes);
    }
}
