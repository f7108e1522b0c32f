package io.timberdb.storage.replication;

import io.timberdb.storage.manifest.BlockRef;
import io.timberdb.storage.manifest.Manifest;
import java.util.List;
import io.timberdb.storage.shard.ReplicatedShard;
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

    BlockCopier(PeerClient peers, long bytesPerSecond) {
        this.peers = peers;
        this.bytesPerSecond = bytesPerSecond;
    }

    /**
     * Brings {@code shard} up from the leader's blocks at {@code leaderAddress}, copying only those
     * from the point where its own sealed blocks and the leader's meet ({@link #keepBelow}). Blocking.
     */
    void copy(String leaderAddress, ReplicatedShard shard) throws Exception {
        BlockList list = peers.blocks(leaderAddress, shard.id());
        long keepBelow = keepBelow(shard.manifest(), shard.durableEnd(), list.blocks());
        List<BlockRef> copies = list.blocks().stream().filter(b -> b.firstSequence() >= keepBelow).toList();
        long bytes = copies.stream().mapToLong(BlockRef::bytes).sum();
        long started = System.nanoTime();
        shard.install(list.sealedThrough(), keepBelow, copies,
                (ref, target) -> {
                    try {
                        peers.downloadBlock(leaderAddress, shard.id(), ref.name(), target, bytesPerSecond);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("block copy interrupted");
                    }
                });
        log.info("shard {}: kept its blocks below {}, copied {} block(s) ({} bytes) from {} in {} ms; sealed through {}",
                shard.id(), keepBelow, copies.size(), bytes, leaderAddress, (System.nanoTime() - started) / 1_000_000,
                list.sealedThrough());
    }

    /**
     * The highest sequence at or below both this replica's sealed point and its log end where one
     * of the leader's blocks starts and where this replica can cut its own blocks (its sealed point,
     * or the start of one of its blocks): the blocks below it stay, the leader's from it are copied.
     * 0 when there is none: everything is copied. Committed entries are the same on every replica,
     * so blocks that meet at a sequence hold, together, each entry once.
     */
    static long keepBelow(Manifest mine, long logEnd, List<BlockRef> leaderBlocks) {
        java.util.Set<Long> cuts = new java.util.HashSet<>();
        cuts.add(mine.sealedThrough());
        for (BlockRef b : mine.blocks()) {
            cuts.add(b.firstSequence());
        }
        long limit = Math.min(mine.sealedThrough(), logEnd);
        long best = 0;
        for (BlockRef b : leaderBlocks) {
            if (b.firstSequence() <= limit && b.firstSequence() > best && cuts.contains(b.firstSequence())) {
                best = b.firstSequence();
            }
        }
        return best;
    }
}
