package io.timberdb.model.shard;

import reactor.core.publisher.Mono;

/** Evaluates a filter on one shard and returns its newest matches. */
public interface ShardReader {

    /** Runs {@code query} on {@code shard} held by {@code node}. */
    Mono<ShardQueryResult> query(String node, ShardId shard, ShardQuery query);
}
