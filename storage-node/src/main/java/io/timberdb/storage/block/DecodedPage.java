package io.timberdb.storage.block;

import io.timberdb.model.api.LogEntry;
import java.util.List;

/**
 * A page's entries as the page cache holds them, in block order (source, timestamp, id).
 *
 * @param entries the entries, immutable
 * @param weight the heap bytes they hold, roughly, for cache weighing
 */
record DecodedPage(List<LogEntry> entries, int weight) {
}
