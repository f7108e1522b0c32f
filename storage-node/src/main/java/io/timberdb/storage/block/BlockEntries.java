package io.timberdb.storage.block;

import io.timberdb.model.api.LogEntry;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The entries of a block about to be written, already in block order ({@link SealedEntries#BLOCK_ORDER})
 * and in stored form (well-formed strings, tags in key order), handed to {@link BlockWriter} a page at a
 * time.
 *
 * <p>A writer needs every entry's order, time and message length, and the block's distinct
 * sources and tags, before it writes the first page; it needs the entries themselves only page by
 * page. An implementation may therefore keep the entries in a compact form and decode each page's
 * entries when asked ({@link #page}), so that a block being sealed never holds all its entries as
 * objects at once: they die young, page after page, instead of outliving a young collection and
 * filling the old generation.
 *
 * <p>{@link SealedEntries#of} is the implementation over a list of entries; the storage shard has one
 * over the WAL batches of its active block.
 */
public interface BlockEntries {

    /** How many entries; at least one. */
    int size();

    /** The length in bytes of UTF-8 of the message of entry {@code index} (block order): what pages are cut by. */
    int messageBytes(int index);

    /** What the block's header and dictionaries need of all its entries. */
    Summary summary();

    /** Entries {@code [from, to)} in block order and stored form; a new list each call, read once. */
    List<LogEntry> page(int from, int to);

    /**
     * @param minTimestamp the earliest timestamp
     * @param maxTimestamp the latest timestamp
     * @param sources the distinct sources
     * @param tagKeys the distinct tag keys
     * @param tagValues the distinct tag values
     */
    record Summary(Instant minTimestamp, Instant maxTimestamp, Set<String> sources, Set<String> tagKeys,
            Set<String> tagValues) {
    }
}
