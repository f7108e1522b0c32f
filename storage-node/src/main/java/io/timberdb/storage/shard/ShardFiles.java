package io.timberdb.storage.shard;

import io.timberdb.storage.block.BlockWriter;
import io.timberdb.storage.fs.Directories;
import io.timberdb.storage.manifest.BlockRef;
import io.timberdb.storage.manifest.Manifest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout of a shard's directory:
 * <pre>
 *   &lt;shard&gt;/MANIFEST          the sealed blocks and the sealed-through sequence
 *   &lt;shard&gt;/wal/             WAL segments holding entries not yet sealed
 *   &lt;shard&gt;/blocks/          block files, named by their first sequence: 00000000000000012345.blk
 *   &lt;shard&gt;/quarantine/      corrupt blocks, moved aside for inspection
 * </pre>
 * Stateless; thread-safe.
 */
final class ShardFiles {

    private static final Logger log = LoggerFactory.getLogger(ShardFiles.class);

    static final String WAL_DIR = "wal";
    static final String BLOCKS_DIR = "blocks";
    static final String QUARANTINE_DIR = "quarantine";
    static final String BLOCK_SUFFIX = ".blk";

    private ShardFiles() {
    }

    static String blockName(long firstSequence) {
        return String.format("%020d%s", firstSequence, BLOCK_SUFFIX);
    }

    /**
     * Removes what a crash during sealing or expiry can leave behind: temporary block files, and
     * block files the manifest does not name — written, but the manifest was not saved (their
     * entries are still in the WAL and will be sealed again), or expired, with the manifest saved
     * but the file not yet deleted.
     */
    static void removeOrphans(Path shardDir, Manifest manifest) throws IOException {
        Path blocks = shardDir.resolve(BLOCKS_DIR);
        if (!Files.isDirectory(blocks)) {
            return;
        }
        Set<String> named = new HashSet<>();
        for (BlockRef ref : manifest.blocks()) {
            named.add(ref.name());
        }
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(blocks)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (BlockWriter.isTemporary(file) || name.endsWith(BLOCK_SUFFIX) && !named.contains(name)) {
                    log.info("shard {}: removing {}, which the manifest does not name (a seal or an expiry did not finish)",
                            shardDir, name);
                    Files.delete(file);
                    removed++;
                }
            }
        }
        if (removed > 0) {
            Directories.sync(blocks);
        }
    }

    /** Deletes an expired block's file, from {@code blocks/} or {@code quarantine/}; best effort (open removes what is left). */
    static void deleteExpired(Path shardDir, BlockRef block) {
        Path dir = shardDir.resolve(block.quarantined() ? QUARANTINE_DIR : BLOCKS_DIR);
        try {
            Files.deleteIfExists(dir.resolve(block.name()));
        } catch (IOException e) {
            log.warn("shard {}: could not delete expired block {}; the next open removes it", shardDir, block.name(), e);
        }
    }

    /** Moves a corrupt block out of {@code blocks/} into {@code quarantine/}; best effort. */
    static void quarantine(Path shardDir, String name) {
        Path target = shardDir.resolve(QUARANTINE_DIR);
        try {
            Directories.createDurably(target);
            Files.move(shardDir.resolve(BLOCKS_DIR).resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            Directories.sync(shardDir.resolve(BLOCKS_DIR));
        } catch (IOException e) {
            log.warn("shard {}: could not move corrupt block {} to {}", shardDir, name, target, e);
        }
    }

    /** Deletes a shard's directory and everything in it, then syncs its parent. */
    static void deleteTree(Path shardDir) throws IOException {
        if (!Files.exists(shardDir)) {
            return;
        }
        try (var paths = Files.walk(shardDir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        Directories.sync(shardDir.getParent());
    }
}
