package io.timberdb.storage.shard;

import io.timberdb.storage.wal.EncodedEntries;

/**
 * Consecutive entries of a shard's log: {@code entries.size()} entries numbered from
 * {@code baseSequence}, as the WAL encoded them. What a leader sends its followers.
 */
public record LogPiece(long baseSequence, EncodedEntries entries) {

    /** One past the sequence of the last entry. */
    public long endSequence() {
        return baseSequence + entries.size();
    }
}
