package io.timberdb.storage.block;

import java.time.Instant;

/**
 * One page of a block, as its directory describes it: enough to order pages and to stop a
 * newest-first scan early.
 *
 * @param page the page number, {@code 0..pageCount-1}, in block order (by source, then oldest first)
 * @param entryCount entries in the page
 * @param minTimestamp its first entry's timestamp
 * @param maxTimestamp its last entry's timestamp
 */
public record PageInfo(int page, int entryCount, Instant minTimestamp, Instant maxTimestamp) {
}
