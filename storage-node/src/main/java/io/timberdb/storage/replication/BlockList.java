package io.timberdb.storage.replication;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.timberdb.storage.manifest.BlockRef;
import java.util.List;

/**
 * A leader's sealed blocks, as a replica that copies them asks for them.
 *
 * @param sealedThrough every entry below this sequence is in the blocks (or expired)
 * @param blocks the readable blocks, oldest first
 */
public record BlockList(@JsonProperty("sealed_through") long sealedThrough, List<BlockRef> blocks) {

    public BlockList {
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
    }
}
