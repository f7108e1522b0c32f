package io.timberdb.storage.block;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import io.timberdb.storage.index.BloomFilter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * An open block file. {@link #open} checks the header (magic, version, CRC), the footer (magic,
 * CRC, section layout), the page directory and the dictionaries and postings; pages and their
 * token filters are read, checked and decoded on demand through the shared {@link BlockCache}.
 *
 * <p>Typical query use: {@link #candidatePages(QueryFilter)} prunes by time, source and tag
 * postings and token filters; {@link #scan(QueryFilter, int)} then decodes only those pages and
 * returns their matches. Pages are numbered oldest first; {@link #page(int)} gives each one's
 * time range, so a newest-first scan can walk candidates backwards and stop early.
 *
 * <p>Thread-safe: any number of threads may query one reader concurrently. Its state is
 * immutable after open except the file channel, which is replaced if an interrupted reader
 * thread closed it (NIO closes a channel for everyone when a thread blocked in it is
 * interrupted). Close it only once no query uses it any more.
 */
public final class BlockReader implements Closeable {

    private static final int VERIFY_CHUNK = 1 << 20;

    private final Path path;
    private final BlockCache cache;
    private final long sizeBytes;
    private final BlockHeader header;
    private final BlockFooter footer;
    private final List<PageFormat.PageEntry> directory;
    private final long identity;
    /** Volatile: replaced by {@link #reopen} when an interrupt closed it under a concurrent reader. */
    private volatile FileChannel channel;
    /** Volatile: read by every thread that finds the channel closed, to tell close() from an interrupt. */
    private volatile boolean closed;

    private BlockReader(Path path, BlockCache cache, FileChannel channel) throws IOException {
        this.path = path;
        this.cache = cache;
        this.channel = channel;
        this.sizeBytes = channel.size();
        this.header = BlockFormat.decodeHeader(path, read(0, (int) Math.min(sizeBytes, BlockFormat.HEADER_SIZE)));
        if (sizeBytes < BlockFormat.HEADER_SIZE + BlockFormat.FOOTER_SIZE) {
            throw new CorruptBlockException(path, sizeBytes, "truncated: " + sizeBytes + " bytes cannot hold a header and a footer");
        }
        long footerOffset = sizeBytes - BlockFormat.FOOTER_SIZE;
        this.footer = BlockFormat.decodeFooter(path, read(footerOffset, BlockFormat.FOOTER_SIZE), footerOffset, header);
        byte[] directoryBytes = readChecked(footer.directoryOffset(), footer.directoryLength(), footer.directoryCrc(), "page directory");
        this.directory = PageFormat.readDirectory(path, directoryBytes, header, footer);
        this.identity = (long) footer.fileCrc() << 32 ^ sizeBytes;
        index(); // checks the dictionaries and postings now, and warms the cache
    }

    /**
     * Opens and checks the block at {@code file}.
     *
     * @throws CorruptBlockException when the header, footer, directory, dictionaries or postings are damaged
     * @throws UnsupportedBlockVersionException when the block's format version is not one this build reads
     * @throws IOException when the file cannot be read
     */
    public static BlockReader open(Path file, BlockCache cache) throws IOException {
        Path path = file.toAbsolutePath().normalize();
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new BlockReader(path, cache, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public BlockHeader header() {
        return header;
    }

    public int pageCount() {
        return directory.size();
    }

    /** The directory's view of page {@code page}. */
    public PageInfo page(int page) {
        PageFormat.PageEntry entry = directory.get(page);
        return new PageInfo(page, entry.entryCount(), entry.minTimestamp(), entry.maxTimestamp());
    }

    /** This block's manifest record. */
    public BlockMeta meta() {
        return new BlockMeta(path, header.minTimestamp(), header.maxTimestamp(), header.entryCount(),
                header.pageCount(), sizeBytes, header.codec(), header.formatVersion());
    }

    /**
     * The pages that may hold entries matching {@code filter}, ascending; pages left out certainly
     * hold none (see {@link PagePruner} for the rules). Loads token filters when the filter has
     * {@code message_contains}.
     *
     * @throws CorruptBlockException when a needed page filter is damaged
     */
    public List<Integer> candidatePages(QueryFilter filter) throws IOException {
        return candidatePages(filter, Set.of());
    }

    /**
     * As {@link #candidatePages(QueryFilter)}, also leaving out the pages whose token filter lacks
     * one of {@code requiredTerms} (lower-case words every match contains, see {@link PagePruner}).
     */
    public List<Integer> candidatePages(QueryFilter filter, Set<String> requiredTerms) throws IOException {
        return prune(filter, requiredTerms).candidates();
    }

    /**
     * As {@link #candidatePages(QueryFilter, Set)}, with how many pages each index ruled out, for
     * a query's plan.
     */
    public Pruning prune(QueryFilter filter, Set<String> requiredTerms) throws IOException {
        return PagePruner.candidates(this, filter, requiredTerms);
    }

    /**
     * The entries of page {@code page} matching {@code filter}, in block order (source, timestamp, id).
     *
     * @throws CorruptBlockException when the page is damaged
     */
    public List<LogEntry> scan(QueryFilter filter, int page) throws IOException {
        return scan(filter.toPredicate(), page);
    }

    /**
     * The entries of page {@code page} matching {@code predicate} (such as a
     * {@link QueryFilter#toPredicate()} parsed once for many pages), in block order.
     *
     * @throws CorruptBlockException when the page is damaged
     */
    public List<LogEntry> scan(Predicate<LogEntry> predicate, int page) throws IOException {
        List<LogEntry> matches = new ArrayList<>();
        for (LogEntry entry : readPage(page)) {
            if (predicate.test(entry)) {
                matches.add(entry);
            }
        }
        return matches;
    }

    /**
     * Every entry of page {@code page}, in block order; immutable and shared with the cache.
     *
     * @throws CorruptBlockException when the page is damaged
     */
    public List<LogEntry> readPage(int page) throws IOException {
        return columns(page).entries();
    }

    /**
     * Page {@code page}, its columns decoded as they are read ({@link PageColumns}); shared with
     * the cache. Damage is found, and thrown as {@link CorruptBlockException}, when the damaged
     * column is first read.
     *
     * @throws CorruptBlockException when the page's chunk headers are damaged
     */
    public PageColumns columns(int page) throws IOException {
        PageFormat.PageEntry entry = directory.get(page);
        return cache.page(key(page), () -> {
            byte[] bytes = read(entry.offset(), entry.length());
            return PageColumns.of(path, page, entry, bytes, header.codec(), index(), header.formatVersion());
        });
    }

    /**
     * Reads the whole file and checks it against the footer's whole-file CRC, which covers every
     * byte before the footer. A scrub: {@link #open} does not do it, as it costs a full read.
     *
     * @throws CorruptBlockException when the CRC does not match
     */
    public void verifyChecksum() throws IOException {
        CRC32C crc = new CRC32C();
        long end = footer.footerOffset();
        for (long offset = 0; offset < end; offset += VERIFY_CHUNK) {
            crc.update(read(offset, (int) Math.min(VERIFY_CHUNK, end - offset)));
        }
        if ((int) crc.getValue() != footer.fileCrc()) {
            throw new CorruptBlockException(path, 0, "whole-file CRC mismatch: some byte before the footer is damaged");
        }
    }

    /**
     * Where the file's bytes go, for size reports: {@code header}, the stored bytes of each column
     * ({@link PageFormat#COLUMN_NAMES}) summed over the pages, {@code chunk headers}, {@code page
     * directory}, {@code dictionaries}, {@code postings}, {@code token filters} and {@code footer},
     * in file order; they add up to the file size. Reads every page's chunk headers (not checked:
     * reading a page checks them).
     */
    public Map<String, Long> storedBytes() throws IOException {
        Map<String, Long> bytes = new LinkedHashMap<>();
        bytes.put("header", (long) BlockFormat.HEADER_SIZE);
        long[] columns = new long[PageFormat.COLUMN_COUNT];
        long chunkHeaders = 0;
        for (PageFormat.PageEntry entry : directory) {
            byte[] page = read(entry.offset(), entry.length());
            int at = 0;
            for (int c = 0; c < PageFormat.COLUMN_COUNT && at + PageFormat.CHUNK_HEADER_SIZE <= page.length; c++) {
                long stored = Integer.toUnsignedLong(new ByteSource(page, at + PageFormat.STORED_LENGTH_OFFSET,
                        PageFormat.STORED_LENGTH_LENGTH).getInt());
                columns[c] += stored;
                chunkHeaders += PageFormat.CHUNK_HEADER_SIZE;
                at += PageFormat.CHUNK_HEADER_SIZE + (int) stored;
            }
        }
        for (int c = 0; c < PageFormat.COLUMN_COUNT; c++) {
            bytes.put(PageFormat.COLUMN_NAMES[c], columns[c]);
        }
        bytes.put("chunk headers", chunkHeaders);
        bytes.put("page directory", Integer.toUnsignedLong(footer.directoryLength()));
        bytes.put("dictionaries", Integer.toUnsignedLong(footer.dictionariesLength()));
        bytes.put("postings", Integer.toUnsignedLong(footer.postingsLength()));
        bytes.put("token filters", Integer.toUnsignedLong(footer.bloomsLength()));
        bytes.put("footer", (long) BlockFormat.FOOTER_SIZE);
        return bytes;
    }

    /**
     * Whether the block's postings say how many entries of each page have each source and tag
     * pair (format 5 on): only then do {@link #sourceCounts} and {@link #tagValueCounts} answer.
     */
    public boolean hasPostingCounts() {
        return header.formatVersion() >= BlockFormat.POSTING_COUNTS_VERSION;
    }

    /**
     * The pages holding {@code source}, each with how many of its entries have it ({@link
     * PageCounts#EMPTY} when the block lacks the source); empty when the block has no posting counts.
     */
    public Optional<PageCounts> sourceCounts(String source) throws IOException {
        return hasPostingCounts() ? Optional.of(index().sourceCounts(source)) : Optional.empty();
    }

    /**
     * Every source of the block, ascending, with its pages and how many of each page's entries
     * have it; empty when the block has no posting counts.
     */
    public Optional<Map<String, PageCounts>> sourceCounts() throws IOException {
        return hasPostingCounts() ? Optional.of(index().sourceCounts()) : Optional.empty();
    }

    /**
     * Every value of tag {@code key} in the block, ascending, with its pages and how many of each
     * page's entries have that value (an empty map when no entry has the key); empty when the
     * block has no posting counts. A page's entries without the key are its entry count
     * ({@link #page}) minus the counts of all values.
     */
    public Optional<Map<String, PageCounts>> tagValueCounts(String key) throws IOException {
        return hasPostingCounts() ? Optional.of(index().tagValueCounts(key)) : Optional.empty();
    }

    /** Closes the file. Queries still running on this reader fail. */
    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    List<PageFormat.PageEntry> directory() {
        return directory;
    }

    /** The dictionaries and postings, from the cache or the file. */
    BlockIndex index() throws IOException {
        return cache.blockIndex(key(BlockCache.BLOCK_INDEX_SLOT), () -> BlockIndex.read(path,
                readChecked(footer.dictionariesOffset(), footer.dictionariesLength(), footer.dictionariesCrc(), "dictionaries"),
                footer.dictionariesOffset(),
                readChecked(footer.postingsOffset(), footer.postingsLength(), footer.postingsCrc(), "postings"),
                footer.postingsOffset(), header, directory));
    }

    /** Page {@code page}'s token filter, from the cache or the file. */
    BloomFilter bloom(int page) throws IOException {
        PageFormat.PageEntry entry = directory.get(page);
        long offset = footer.bloomsOffset() + Integer.toUnsignedLong(entry.bloomOffset());
        return cache.bloom(key(page), () -> {
            byte[] bytes = readChecked(offset, entry.bloomLength(), entry.bloomCrc(), "page " + page + " token filter");
            try {
                ByteSource in = new ByteSource(bytes);
                BloomFilter filter = BloomFilter.read(in);
                in.expectEnd("token filter");
                return filter;
            } catch (CodecException e) {
                throw new CorruptBlockException(path, offset, "page " + page + " token filter does not decode: " + e.getMessage());
            }
        });
    }

    private BlockCache.Key key(int slot) {
        return new BlockCache.Key(path, identity, slot);
    }

    private byte[] readChecked(long offset, int length, int expectedCrc, String what) throws IOException {
        byte[] bytes = read(offset, length);
        if (BlockFormat.crc(bytes, 0, length) != expectedCrc) {
            throw new CorruptBlockException(path, offset, what + " CRC mismatch");
        }
        return bytes;
    }

    /** Reads exactly {@code length} bytes at {@code offset}; positional reads are safe concurrently. */
    private byte[] read(long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (true) {
            FileChannel current = channel;
            try {
                while (buffer.hasRemaining()) {
                    int n = current.read(buffer, offset + buffer.position());
                    if (n < 0) {
                        throw new CorruptBlockException(path, offset + buffer.position(),
                                "unexpected end of file (the file shrank?)");
                    }
                }
                return buffer.array();
            } catch (ClosedChannelException e) {
                if (closed || e instanceof ClosedByInterruptException) {
                    throw e; // closed on purpose, or this very thread was interrupted: give up
                }
                reopen(current);
            }
        }
    }

    /**
     * Replaces a channel that another thread's interrupt closed. Synchronized so that threads
     * finding the same dead channel open one new channel between them, not one each.
     */
    private synchronized void reopen(FileChannel dead) throws IOException {
        if (channel == dead && !closed) {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        }
    }

    @Override
    public String toString() {
        return "BlockReader[" + path + ", " + header.entryCount() + " entries in " + header.pageCount() + " pages]";
    }
}
