package io.timberdb.storage.block;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.fs.Directories;
import io.timberdb.storage.index.BloomFilter;
import io.timberdb.storage.index.Postings;
import io.timberdb.storage.index.TokenKeys;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a list of entries as one immutable block file ({@link BlockFormat}), atomically: the
 * block is written to {@code <file>}{@value #TEMP_SUFFIX}, fsynced, renamed to {@code file}, and
 * the directory is fsynced. A crash leaves either no block or the complete one, plus possibly a
 * temporary file, which whoever owns the directory deletes on start ({@link #isTemporary}).
 *
 * <p>The entries need not be sorted: the block holds them sorted by source, timestamp, then id. Strings
 * are stored as UTF-8, so an unpaired surrogate reads back as {@code '?'}.
 *
 * <p>Thread-safe: it holds only its options; concurrent calls must write different files.
 */
public final class BlockWriter {

    /** Appended to the target name while the block is being written. */
    public static final String TEMP_SUFFIX = ".tmp";

    private final BlockOptions options;

    public BlockWriter(BlockOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public BlockOptions options() {
        return options;
    }

    /** Whether {@code file} is a leftover of an interrupted {@link #write}. */
    public static boolean isTemporary(Path file) {
        return file.getFileName().toString().endsWith(TEMP_SUFFIX);
    }

    /**
     * Writes {@code entries} to a new block at {@code target}, whose directory must exist.
     *
     * @return the new block's metadata (with the absolute, normalized path), once the block is durable under its name
     * @throws IllegalArgumentException when {@code entries} is empty
     * @throws FileAlreadyExistsException when {@code target} exists: blocks are never overwritten
     * @throws IOException when writing fails; the temporary file is then removed
     */
    public BlockMeta write(Path target, List<LogEntry> entries) throws IOException {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a block needs at least one entry");
        }
        return write(target, SealedEntries.of(entries));
    }

    /**
     * Writes {@code sorted}, entries already in block order and stored form, to a new block at
     * {@code target}, whose directory must exist; asks for the entries a page at a time.
     *
     * @return the new block's metadata (with the absolute, normalized path), once the block is durable under its name
     * @throws FileAlreadyExistsException when {@code target} exists: blocks are never overwritten
     * @throws IOException when writing fails; the temporary file is then removed
     */
    public BlockMeta write(Path target, BlockEntries sorted) throws IOException {
        Path file = target.toAbsolutePath().normalize();
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "blocks are immutable");
        }
        List<Integer> pageStarts = pageStarts(sorted);
        BlockHeader header = new BlockHeader(BlockFormat.CURRENT_VERSION, options.compression().codec(),
                options.tokenizer(), sorted.size(), pageStarts.size(), sorted.summary().minTimestamp(), sorted.summary().maxTimestamp());
        Path temp = file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
        long size;
        try (BlockOutput out = BlockOutput.create(temp)) {
            out.write(BlockFormat.encodeHeader(header));
            writeBody(out, sorted, pageStarts);
            out.force();
            size = out.position();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp, e);
            throw e;
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp, e);
            throw e;
        }
        Directories.sync(file.getParent()); // the rename is durable once the directory is
        return new BlockMeta(file, header.minTimestamp(), header.maxTimestamp(), header.entryCount(),
                header.pageCount(), size, header.codec(), header.formatVersion());
    }

    /** Removes a temporary file after a failure, recording a failure to do so on {@code cause}. */
    private static void deleteQuietly(Path temp, Exception cause) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** Where each page starts: a page closes at {@code pageEntries} entries or {@code pageMessageBytes} bytes of messages. */
    private List<Integer> pageStarts(BlockEntries sorted) {
        List<Integer> starts = new ArrayList<>();
        int entries = 0;
        long bytes = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (i == 0 || entries == options.pageEntries() || bytes >= options.pageMessageBytes()) {
                starts.add(i);
                entries = 0;
                bytes = 0;
            }
            entries++;
            bytes += sorted.messageBytes(i);
        }
        return starts;
    }

    /** Writes pages, directory, dictionaries, postings, filters and footer after the header. */
    private void writeBody(BlockOutput out, BlockEntries sorted, List<Integer> pageStarts) throws IOException {
        BlockEntries.Summary summary = sorted.summary();
        StringDictionary sources = StringDictionary.of(summary.sources());
        StringDictionary tagKeys = StringDictionary.of(summary.tagKeys());
        StringDictionary tagValues = StringDictionary.of(summary.tagValues());
        PageEncoder encoder = new PageEncoder(options.compression(), sources, tagKeys, tagValues);
        Postings.Builder sourcePostings = new Postings.Builder();
        Postings.Builder tagPostings = new Postings.Builder();
        ByteSink directory = new ByteSink(pageStarts.size() * PageFormat.DIRECTORY_ENTRY_SIZE);
        ByteSink blooms = new ByteSink();
        TokenKeys tokens = new TokenKeys(options.tokenizer());
        int[] pageEntries = new int[pageStarts.size()];
        long pagesOffset = out.position();
        for (int page = 0; page < pageStarts.size(); page++) {
            int from = pageStarts.get(page);
            int to = page + 1 < pageStarts.size() ? pageStarts.get(page + 1) : sorted.size();
            List<LogEntry> entries = sorted.page(from, to);
            long offset = out.position();
            byte[] bytes = encoder.encode(entries);
            out.write(bytes);
            int bloomOffset = blooms.size();
            tokenFilter(entries, tokens).writeTo(blooms);
            int bloomLength = blooms.size() - bloomOffset;
            // each source run and each tag set of the page once, with its number of entries: entries
            // are sorted by source, and share their tag maps when decoded from the WAL (the counts
            // of a pair that two maps of the page hold add up)
            Map<Map<String, String>, int[]> tagSets = new IdentityHashMap<>();
            int runStart = 0;
            for (int i = 0; i < entries.size(); i++) {
                LogEntry entry = entries.get(i);
                if (i + 1 == entries.size() || !entries.get(i + 1).source().equals(entry.source())) {
                    sourcePostings.add(sources.id(entry.source()), page, i + 1 - runStart);
                    runStart = i + 1;
                }
                tagSets.computeIfAbsent(entry.tags(), tags -> new int[1])[0]++;
            }
            for (Map.Entry<Map<String, String>, int[]> tagSet : tagSets.entrySet()) {
                for (Map.Entry<String, String> tag : tagSet.getKey().entrySet()) {
                    tagPostings.add(Postings.pairKey(tagKeys.id(tag.getKey()), tagValues.id(tag.getValue())), page,
                            tagSet.getValue()[0]);
                }
            }
            pageEntries[page] = entries.size();
            PageFormat.writeDirectoryEntry(directory, new PageFormat.PageEntry(offset, bytes.length, entries.size(),
                    minTimestamp(entries), maxTimestamp(entries), bloomOffset, bloomLength,
                    BlockFormat.crc(blooms.array(), bloomOffset, bloomLength)));
        }
        BlockIndex index = new BlockIndex(sources, tagKeys, tagValues, TemplateTable.EMPTY, sourcePostings.build(),
                tagPostings.build());
        ByteSink dictionaries = new ByteSink();
        index.writeDictionaries(dictionaries);
        encoder.writeTemplates(dictionaries);
        ByteSink postings = new ByteSink();
        index.writePostings(postings, pageEntries);

        long pagesLength = out.position() - pagesOffset;
        long directoryOffset = writeSection(out, directory);
        long dictionariesOffset = writeSection(out, dictionaries);
        long postingsOffset = writeSection(out, postings);
        long bloomsOffset = writeSection(out, blooms);
        BlockFooter footer = new BlockFooter(pagesOffset, pagesLength,
                directoryOffset, directory.size(), crc(directory),
                dictionariesOffset, dictionaries.size(), crc(dictionaries),
                postingsOffset, postings.size(), crc(postings),
                bloomsOffset, blooms.size(), out.crc());
        out.write(BlockFormat.encodeFooter(footer));
    }

    /** The filter of the distinct message tokens of a page, sized for exactly that many. */
    private BloomFilter tokenFilter(List<LogEntry> entries, TokenKeys tokens) {
        tokens.clear();
        for (LogEntry entry : entries) {
            tokens.addTokensOf(entry.message());
        }
        BloomFilter filter = BloomFilter.create(tokens.size(), options.bloomFalsePositiveRate());
        // the table's order does not matter: setting bits is commutative, so the bytes are deterministic
        tokens.putInto(filter);
        return filter;
    }

    private static long writeSection(BlockOutput out, ByteSink section) throws IOException {
        long offset = out.position();
        out.write(section.array(), 0, section.size());
        return offset;
    }

    private static int crc(ByteSink section) {
        return BlockFormat.crc(section.array(), 0, section.size());
    }

    private static Instant minTimestamp(List<LogEntry> entries) {
        Instant min = entries.get(0).timestamp();
        for (LogEntry e : entries) {
            min = e.timestamp().isBefore(min) ? e.timestamp() : min;
        }
        return min;
    }

    private static Instant maxTimestamp(List<LogEntry> entries) {
        Instant max = entries.get(0).timestamp();
        for (LogEntry e : entries) {
            max = e.timestamp().isAfter(max) ? e.timestamp() : max;
        }
        return max;
    }
}
