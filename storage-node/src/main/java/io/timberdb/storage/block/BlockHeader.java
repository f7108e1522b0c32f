package io.timberdb.storage.block;

import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.index.Tokenizer;
import java.time.Instant;

/**
 * What a block's header says about it (see {@link BlockFormat} for the bytes).
 *
 * @param formatVersion the block format version the file was written in
 * @param codec the codec of its compressed chunks
 * @param tokenizer the word rules its bloom filters were built with; queries against the block
 *        must derive needle tokens with this tokenizer, whatever the current configuration says
 * @param entryCount entries in the block, at least 1
 * @param pageCount pages in the block, at least 1
 * @param minTimestamp the oldest entry's timestamp
 * @param maxTimestamp the newest entry's timestamp
 */
public record BlockHeader(int formatVersion, Codec codec, Tokenizer tokenizer, int entryCount, int pageCount,
        Instant minTimestamp, Instant maxTimestamp) {
}
