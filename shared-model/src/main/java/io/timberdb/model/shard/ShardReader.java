package io.timberdb.model.shard;

import reactor.core.publisher.Mono;

/** Evaluates a filter on one shard and returns its newest matches; tells the version of a shard's data. */
public interface ShardReader {

    /** Runs {@code query} on {@code shard} held by {@code node}. */
    Mono<ShardQueryResult> query(String node, ShardId shard, ShardQuery query);

    /**
     * The current data version of {@code shard} held by {@code node}: cheap, no scan. Empty when
     * the reader cannot tell (this default, or a node of an older version), in which case nothing
     * read from that shard is cached.
     */
    default Mono<ShardVersion> version(String node, ShardId shard) {
        return Mono.empty();
    }
}
