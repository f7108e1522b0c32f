package io.timberdb.storage.block;

import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import io.timberdb.storage.index.Postings;
import java.nio.file.Path;

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
 * Which sources and tag pairs occur in a page is answered from these inverted lists.
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

    void writePostings(ByteSink sink) {
        sourcePostings.writeTo(sink);
        tagPostings.writeTo(sink);
    }

    /** Heap bytes held, roughly, for cache weighing. */
    long estimatedBytes() {
        return sources.estimatedBytes() + tagKeys.estimatedBytes() + tagValues.estimatedBytes() + templates.estimatedBytes()
                + sourcePostings.estimatedBytes() + tagPostings.estimatedBytes();
    }

    /**
     * Decodes the two CRC-checked sections.
     *
     * @throws CorruptBlockException when they do not parse or do not fit each other
     */
    static BlockIndex read(Path file, byte[] dictionaries, long dictionariesOffset, byte[] postings, long postingsOffset,
            BlockHeader header) {
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
        try {
            ByteSource in = new ByteSource(postings);
            Postings sourcePostings = Postings.read(in, pageCount);
            Postings tagPostings = Postings.read(in, pageCount);
            in.expectEnd("postings");
            if (!coversEverySource(sourcePostings, sources.size()) || !pairsWithin(tagPostings, tagKeys.size(), tagValues.size())) {
                throw new CodecException("postings keys do not match the dictionaries");
            }
            return new BlockIndex(sources, tagKeys, tagValues, templates, sourcePostings, tagPostings);
        } catch (CodecException e) {
            throw new CorruptBlockException(file, postingsOffset, "undecodable postings: " + e.getMessage());
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
