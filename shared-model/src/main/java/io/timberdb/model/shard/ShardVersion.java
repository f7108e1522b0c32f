package io.timberdb.model.shard;

/**
 * Which state of a shard's data an answer was computed at: a query service caches an answer with
 * the versions of the shards it read, and serves it again only while every one of them still
 * reports the same version (see the query service's result cache).
 *
 * <p>Two versions of one shard are equal only if nothing that a query could see changed between
 * them: the storage node bumps {@code changes} after every acknowledged append, seal, retention
 * expiry and quarantine of a corrupt block has become visible to queries, and draws a new random
 * {@code epoch} every time it opens the shard, so that a restarted (or reopened) shard, whose
 * counter starts again at zero, never answers a version it answered before (the chance that two
 * openings draw the same 64-bit epoch is negligible). A query reads the version before it reads
 * the data, so an answer is never tagged with a version newer than what it saw.
 *
 * @param epoch random, drawn when the shard was opened; 0 only for {@link #ABSENT}
 * @param changes visible changes since the shard was opened
 */
public record ShardVersion(long epoch, long changes) {

    /** A shard the node does not hold (yet): it answers nothing, and its first append changes this. */
    public static final ShardVersion ABSENT = new ShardVersion(0, 0);

    public ShardVersion {
        if (changes < 0) {
            throw new IllegalArgumentException("changes must not be negative: " + changes);
        }
    }
}
