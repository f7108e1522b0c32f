package io.timberdb.model.shard;

import io.timberdb.model.api.LogEntry;
import java.util.List;

/**
 * One shard's answer.
 *
 * @param entries up to {@code limit} matches, newest first
 * @param scanned entries examined
 * @param matched entries that matched (may exceed {@code entries.size()})
 */
public record ShardQueryResult(List<LogEntry> entries, long scanned, long matched) {
}
