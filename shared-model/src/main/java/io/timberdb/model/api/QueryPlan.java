package io.timberdb.model.api;

import io.timberdb.model.shard.ShardPlan;
import java.util.Map;

/**
 * What {@code EXPLAIN} answers: how the query would be read, summed over the shards and per shard.
 *
 * @param query the canonical text of the query explained (without EXPLAIN)
 * @param aggregating whether the shards would compute partial groups rather than return entries
 * @param total the shards' plans added up
 * @param shards each shard's plan, by {@code partition/shard}
 */
public record QueryPlan(String query, boolean aggregating, ShardPlan total, Map<String, ShardPlan> shards) {
}
