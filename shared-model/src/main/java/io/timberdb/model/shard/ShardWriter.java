package io.timberdb.model.shard;

import io.timberdb.model.api.LogEntry;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Appends entries to a shard. The returned Mono completes only once every entry is durable on
 * the shard's node (written to its WAL and fsynced): completing is the acknowledgement.
 */
public interface ShardWriter {

    /** Appends {@code entries} (already validated, with ids) to {@code shard} on {@code node}. */
    Mono<Void> append(String node, ShardId shard, List<LogEntry> entries);
}
