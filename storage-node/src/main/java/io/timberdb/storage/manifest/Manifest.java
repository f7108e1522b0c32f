package io.timberdb.storage.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a shard has sealed: its blocks, in sequence order, and the sequence number below which
 * every entry lives in a block ({@code sealedThrough}); entries from there on live only in the
 * WAL and the in-memory active block. Each save writes a new {@code generation}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param generation increases by one with every saved change
 * @param sealedThrough entries with a smaller sequence number are in blocks; WAL replay skips them
 * @param blocks the sealed blocks, oldest first
 */
public record Manifest(long generation, long sealedThrough, List<BlockRef> blocks) {

    /** The manifest of a shard that has sealed nothing. */
    public static final Manifest EMPTY = new Manifest(0, 0, List.of());

    public Manifest {
        blocks = List.copyOf(blocks);
    }

    /** The next generation: {@code block} added, everything before {@code block.endSequence()} sealed. */
    public Manifest withBlock(BlockRef block) {
        if (block.firstSequence() != sealedThrough) {
            throw new IllegalArgumentException("block " + block.name() + " starts at " + block.firstSequence()
                    + " but the shard is sealed through " + sealedThrough);
        }
        List<BlockRef> next = new ArrayList<>(blocks);
        next.add(block);
        return new Manifest(generation + 1, block.endSequence(), next);
    }

    /** The next generation with block {@code name} marked quarantined. */
    public Manifest withQuarantined(String name) {
        List<BlockRef> next = new ArrayList<>(blocks.size());
        for (BlockRef b : blocks) {
            next.add(b.name().equals(name) ? b.quarantine() : b);
        }
        return new Manifest(generation + 1, sealedThrough, next);
    }

    /**
     * The next generation without the blocks named in {@code names} (expired by retention); what
     * is sealed stays sealed: their entries are gone, not back in the WAL.
     */
    public Manifest withoutBlocks(Set<String> names) {
        List<BlockRef> next = blocks.stream().filter(b -> !names.contains(b.name())).toList();
        return new Manifest(generation + 1, sealedThrough, next);
    }

    /** Blocks that queries read (all but the quarantined). */
    public List<BlockRef> readable() {
        return blocks.stream().filter(b -> !b.quarantined()).toList();
    }
}
