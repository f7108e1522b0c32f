package io.timberdb.storage.manifest;

import java.time.Instant;
import java.util.Objects;

/**
 * One sealed block as the manifest records it.
 *
 * @param name the block's file name in the shard's {@code blocks/} directory
 * @param firstSequence the WAL sequence number of its first entry
 * @param endSequence one past the sequence number of its last entry
 * @param minTimestamp the earliest entry timestamp in the block
 * @param maxTimestamp the latest entry timestamp in the block
 * @param entries how many entries it holds
 * @param bytes its file size
 * @param codec the id of the codec its pages are compressed with
 * @param quarantined true once the block was found corrupt: it is kept aside, not read
 */
public record BlockRef(String name, long firstSequence, long endSequence, Instant minTimestamp, Instant maxTimestamp,
                       int entries, long bytes, int codec, boolean quarantined) {

    public BlockRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(minTimestamp, "minTimestamp");
        Objects.requireNonNull(maxTimestamp, "maxTimestamp");
        if (endSequence < firstSequence) {
            throw new IllegalArgumentException("block " + name + " ends before it starts");
        }
    }

    /** The same block, marked quarantined. */
    public BlockRef quarantine() {
        return new BlockRef(name, firstSequence, endSequence, minTimestamp, maxTimestamp, entries, bytes, codec, true);
    }
}
