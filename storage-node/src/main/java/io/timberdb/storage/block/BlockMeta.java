package io.timberdb.storage.block;

import io.timberdb.storage.codec.Codec;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What a manifest needs to know about a sealed block, returned by {@link BlockWriter#write} and
 * {@link BlockReader#meta()}.
 *
 * @param path the block file
 * @param minTimestamp the oldest entry's timestamp
 * @param maxTimestamp the newest entry's timestamp
 * @param entryCount entries in the block
 * @param pageCount pages in the block
 * @param sizeBytes the file's size
 * @param codec the codec of its compressed chunks
 * @param formatVersion the block format version it is written in
 */
public record BlockMeta(Path path, Instant minTimestamp, Instant maxTimestamp, int entryCount, int pageCount,
        long sizeBytes, Codec codec, int formatVersion) {
}
