package io.timberdb.storage.block;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.timberdb.storage.index.BloomFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The caches shared by every {@link BlockReader} of a node: pages read, with the columns queries
 * decoded ({@link PageColumns}; spec
 * {@code block_cache_size}, default 1 GiB) and parsed index data — each block's dictionaries and
 * postings, and each page's token filter (spec {@code index_cache_size}, default 256 MiB). Both
 * are bounded by an estimate of the heap bytes held (Caffeine, size-weighted W-TinyLFU).
 *
 * <p>Entries are keyed by (block path, block identity, page): the identity is derived from the
 * block's whole-file CRC and size, so a new block written under a reused path never sees the
 * old block's pages. Call {@link #invalidate} when a block is deleted to free its entries early.
 *
 * <p>Thread-safe; concurrent loads of the same key are coalesced by Caffeine.
 */
public final class BlockCache {

    public static final long DEFAULT_PAGE_CACHE_BYTES = 1L << 30;
    public static final long DEFAULT_INDEX_CACHE_BYTES = 256L << 20;

    /** The slot of a block's dictionaries and postings in the index cache; pages use their number. */
    static final int BLOCK_INDEX_SLOT = -1;

    private final Cache<Key, PageColumns> pages;
    private final Cache<Key, Object> index;

    /**
     * @param pageCacheBytes bound of the decoded-page cache; 0 disables it
     * @param indexCacheBytes bound of the index cache; 0 disables it
     */
    public BlockCache(long pageCacheBytes, long indexCacheBytes) {
        if (pageCacheBytes < 0 || indexCacheBytes < 0) {
            throw new IllegalArgumentException("cache sizes must not be negative");
        }
        this.pages = Caffeine.newBuilder().maximumWeight(pageCacheBytes)
                .weigher((Key key, PageColumns page) -> page.weight()).recordStats().build();
        this.index = Caffeine.newBuilder().maximumWeight(indexCacheBytes)
                .weigher((Key key, Object value) -> weightOf(value)).recordStats().build();
    }

    /** A cache with the spec's default sizes. */
    public static BlockCache withDefaults() {
        return new BlockCache(DEFAULT_PAGE_CACHE_BYTES, DEFAULT_INDEX_CACHE_BYTES);
    }

    /** Drops every entry of the block at {@code path} (its pages and index data). */
    public void invalidate(Path path) {
        Path normalized = path.toAbsolutePath().normalize();
        pages.asMap().keySet().removeIf(key -> key.path().equals(normalized));
        index.asMap().keySet().removeIf(key -> key.path().equals(normalized));
    }

    public void invalidateAll() {
        pages.invalidateAll();
        index.invalidateAll();
    }

    /** Hits, misses, loads and evictions of the page cache. */
    public CacheStats pageStats() {
        return pages.stats();
    }

    /** Hits, misses, loads and evictions of the index cache. */
    public CacheStats indexStats() {
        return index.stats();
    }

    /** The estimated bytes the page cache holds now. */
    public long pageCacheBytes() {
        return pages.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** The estimated bytes the index cache holds now. */
    public long indexCacheBytes() {
        return index.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /** A block's cache key prefix. */
    record Key(Path path, long identity, int slot) {
    }

    /** Loads a value, possibly with I/O. */
    @FunctionalInterface
    interface Loader<V> {
        V load() throws IOException;
    }

    PageColumns page(Key key, Loader<PageColumns> loader) throws IOException {
        return get(pages, key, loader);
    }

    BlockIndex blockIndex(Key key, Loader<BlockIndex> loader) throws IOException {
        return (BlockIndex) get(index, key, loader::load);
    }

    BloomFilter bloom(Key key, Loader<BloomFilter> loader) throws IOException {
        return (BloomFilter) get(index, key, loader::load);
    }

    private static <V> V get(Cache<Key, V> cache, Key key, Loader<? extends V> loader) throws IOException {
        try {
            return cache.get(key, k -> {
                try {
                    return loader.load();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static int weightOf(Object value) {
        long bytes;
        if (value instanceof BlockIndex blockIndex) {
            bytes = blockIndex.estimatedBytes();
        } else if (value instanceof BloomFilter bloom) {
            bytes = 48L + bloom.serializedSize();
        } else {
            throw new IllegalStateException("unexpected index cache value " + value.getClass());
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
}
