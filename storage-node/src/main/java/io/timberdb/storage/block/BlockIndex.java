package io.timberdb.storage.block;

import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import io.timberdb.storage.index.PostingList;
import io.timberdb.storage.index.Postings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A block's dictionaries and postings: the block-level index sections.
 *
 * <h2>Dictionaries section</h2>
 * <pre>
 *  dictionary  sources     ({@link StringDictionary}: varint count, strings strictly ascending)
 *  dictionary  tag keys
 *  dictionary  tag values
 *  templates   version 4 on: the message templates ({@link TemplateTable})
 * </pre>
 *
 * <h2>Postings section</h2>
 * <pre>
 *  postings  source id → pages ({@link Postings}; every source has a non-empty list)
 *  postings  {@link Postings#pairKey}(tag key id, tag value id) → pages, for every pair that occurs
 * </pre>
 * Which sources and tag pairs occur in a page is answered from these inverted lists. From
 * version 5 on ({@link BlockFormat#POSTING_COUNTS_VERSION}) both are written with counts
 * ({@link Postings#writeTo(ByteSink, int[])}): each list is followed by, per page, a varint of
 * the page's entry count minus the number of its entries with the source or pair. A page's
 * source counts add up to its entry count; one tag key's counts in a page to at most it.
 *
 * <p>Immutable; thread-safe.
 */
record BlockIndex(StringDictionary sources, StringDictionary tagKeys, StringDictionary tagValues,
        TemplateTable templates, Postings sourcePostings, Postings tagPostings) {

    /** Writes the three string dictionaries; the writer appends the template table. */
    void writeDictionaries(ByteSink sink) {
        sources.writeTo(sink);
        tagKeys.writeTo(sink);
        tagValues.writeTo(sink);
    }

    /** Writes both postings with counts (the current version); page {@code p} holds {@code pageEntries[p]} entries. */
    void writePostings(ByteSink sink, int[] pageEntries) {
        sourcePostings.writeTo(sink, pageEntries);
        tagPostings.writeTo(sink, pageEntries);
    }

    /** The pages of {@code source} with their counts, none when the block lacks it; needs counts (version 5 on). */
    PageCounts sourceCounts(String source) {
        int id = sources.id(source);
        return id < 0 ? PageCounts.EMPTY : PageCounts.of(sourcePostings, id);
    }

    /** Every source of the block, ascending, with its pages and counts; needs counts (version 5 on). */
    Map<String, PageCounts> sourceCounts() {
        Map<String, PageCounts> counts = new LinkedHashMap<>();
        for (int id = 0; id < sources.size(); id++) {
            counts.put(sources.value(id), PageCounts.of(sourcePostings, id));
        }
        return Collections.unmodifiableMap(counts);
    }

    /** Every value of tag {@code key} in the block, ascending, with its pages and counts; needs counts (version 5 on). */
    Map<String, PageCounts> tagValueCounts(String key) {
        int keyId = tagKeys.id(key);
        if (keyId < 0) {
            return Map.of();
        }
        Map<String, PageCounts> counts = new LinkedHashMap<>();
        for (long pair : tagPostings.keys(Postings.pairKey(keyId, 0), Postings.pairKey(keyId + 1, 0))) {
            counts.put(tagValues.value((int) pair), PageCounts.of(tagPostings, pair));
        }
        return Collections.unmodifiableMap(counts);
    }

    /** Heap bytes held, roughly, for cache weighing. */
    long estimatedBytes() {
        return sources.estimatedBytes() + tagKeys.estimatedBytes() + tagValues.estimatedBytes() + templates.estimatedBytes()
                + sourcePostings.estimatedBytes() + tagPostings.estimatedBytes();
    }

    /**
     * Decodes the two CRC-checked sections of a block with that header and page directory.
     *
     * @throws CorruptBlockException when they do not parse or do not fit each other or the pages
     */
    static BlockIndex read(Path file, byte[] dictionaries, long dictionariesOffset, byte[] postings, long postingsOffset,
            BlockHeader header, List<PageFormat.PageEntry> directory) {
        StringDictionary sources;
        StringDictionary tagKeys;
        StringDictionary tagValues;
        TemplateTable templates = TemplateTable.EMPTY;
        int pageCount = header.pageCount();
        try {
            ByteSource in = new ByteSource(dictionaries);
            sources = StringDictionary.read(in);
            tagKeys = StringDictionary.read(in);
            tagValues = StringDictionary.read(in);
            if (header.formatVersion() >= BlockFormat.TEMPLATED_VERSION) {
                templates = TemplateTable.read(in, header.codec());
            }
            in.expectEnd("dictionaries");
        } catch (CodecException e) {
            throw new CorruptBlockException(file, dictionariesOffset, "undecodable dictionaries: " + e.getMessage());
        }
        ByteSource in = new ByteSource(postings);
        try {
            Postings sourcePostings;
            Postings tagPostings;
            if (header.formatVersion() >= BlockFormat.POSTING_COUNTS_VERSION) {
                int[] pageEntries = directory.stream().mapToInt(PageFormat.PageEntry::entryCount).toArray();
                sourcePostings = Postings.readWithCounts(in, pageEntries);
                tagPostings = Postings.readWithCounts(in, pageEntries);
                checkCounts(sourcePostings, tagPostings, pageEntries);
            } else {
                sourcePostings = Postings.read(in, pageCount);
                tagPostings = Postings.read(in, pageCount);
            }
            in.expectEnd("postings");
            if (!coversEverySource(sourcePostings, sources.size()) || !pairsWithin(tagPostings, tagKeys.size(), tagValues.size())) {
                throw new CodecException("postings keys do not match the dictionaries");
            }
            return new BlockIndex(sources, tagKeys, tagValues, templates, sourcePostings, tagPostings);
        } catch (CodecException e) {
            // where decoding stopped: just past the bad varint, or the section's end for a check of the whole
            throw new CorruptBlockException(file, postingsOffset + in.position(), "undecodable postings: " + e.getMessage());
        }
    }

    /**
     * Checks the counts against the pages (each is already within 1..its page's entries): a page's
     * source counts add up to its entries, as every entry has one source; one tag key's counts in a
     * page add up to at most them, as an entry has at most one value per key.
     */
    private static void checkCounts(Postings sourcePostings, Postings tagPostings, int[] pageEntries) {
        long[] sums = new long[pageEntries.length];
        for (long source : sourcePostings.keys()) {
            addCounts(sourcePostings, source, sums);
        }
        for (int page = 0; page < sums.length; page++) {
            if (sums[page] != pageEntries[page]) {
                throw new CodecException("the source counts of page " + page + " add up to " + sums[page] + ", not its "
                        + pageEntries[page] + " entries");
            }
        }
        long[] pairs = tagPostings.keys();
        for (int from = 0, to; from < pairs.length; from = to) {
            long keyId = pairs[from] >>> 32;
            Arrays.fill(sums, 0);
            for (to = from; to < pairs.length && pairs[to] >>> 32 == keyId; to++) {
                addCounts(tagPostings, pairs[to], sums);
            }
            for (int page = 0; page < sums.length; page++) {
                if (sums[page] > pageEntries[page]) {
                    throw new CodecException("the counts of tag key " + keyId + " in page " + page + " add up to "
                            + sums[page] + ", more than its " + pageEntries[page] + " entries");
                }
            }
        }
    }

    private static void addCounts(Postings postings, long key, long[] sums) {
        PostingList pages = postings.get(key);
        int[] counts = postings.counts(key);
        for (int i = 0; i < counts.length; i++) {
            sums[pages.get(i)] += counts[i];
        }
    }

    /** Whether the keys are exactly the source ids {@code 0..sourceCount-1}, each with pages. */
    private static boolean coversEverySource(Postings postings, int sourceCount) {
        long[] keys = postings.keys();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != i || postings.get(keys[i]).isEmpty()) {
                return false;
            }
        }
        return keys.length == sourceCount;
    }

    /** Whether every key is a pair of a tag key id and a tag value id the dictionaries hold. */
    private static boolean pairsWithin(Postings postings, int keyCount, int valueCount) {
        for (long key : postings.keys()) {
            if (key < 0 || (key >>> 32) >= keyCount || (key & 0xFFFFFFFFL) >= valueCount) {
                return false;
            }
        }
        return true;
    }
}
