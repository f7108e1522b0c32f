package io.timberdb.storage.replication;

import io.timberdb.storage.manifest.BlockRef;
import io.timberdb.storage.shard.ReplicatedShard;
import io.timberdb.storage.shard.ShardStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a replica up from its leader's sealed blocks: what a new replica (a move, a
 * re-replication) needs first, and what one needs that fell so far behind that the leader has
 * sealed the entries it lacks. The replica's own copy is dropped and replaced by the leader's
 * blocks, each downloaded at most {@link ReplicationProperties#copyBytesPerSecond()}; the follower
 * then fetches the leader's log from the sealed point on.
 *
 * <p>Thread-safe (stateless apart from its settings); called from a follower's thread.
 */
final class BlockCopier {

    private static final Logger log = LoggerFactory.getLogger(BlockCopier.class);

    private final PeerClient peers;
    private final long bytesPerSecond;

    BlockCopier(PeerClient peers, ShardStore store, long bytesPerSecond) {
        this.peers = peers;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Replaces {@code shard}'s data with the leader's blocks at {@code leaderAddress}. Blocking. */
    void copy(String leaderAddress, ReplicatedShard shard) throws Exception {
        BlockList list = peers.blocks(leaderAddress, shard.id());
        long bytes = list.blocks().stream().mapToLong(BlockRef::bytes).sum();
        long started = System.nanoTime();
        shard.install(list.sealedThrough(), list.blocks(),
                (ref, target) -> {
                    try {
                        peers.downloadBlock(leaderAddress, shard.id(), ref.name(), target, bytesPerSecond);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("block copy interrupted");
                    }
                });
        log.info("shard {}: copied {} block(s), {} bytes, sealed through {}, from {} in {} ms", shard.id(),
                list.blocks().size(), bytes, list.sealedThrough(), leaderAddress,
                (System.nanoTime() - started) / 1_000_000);
    }
}
