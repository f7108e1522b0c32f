package io.timberdb.model.shard;

import io.timberdb.model.api.QueryFilter;

/**
 * A query pushed down to one shard.
 *
 * @param filter the conditions every returned entry satisfies
 * @param limit the most entries to return (the newest ones)
 */
public record ShardQuery(QueryFilter filter, int limit) {
}
