package io.timberdb.query.fanout;

import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Queries a shard on a remote storage node: {@code POST /internal/v1/shards/{p}/{s}/query}.
 *
 * <p>Thread-safe: stateless.
 */
public final class HttpShardReader implements ShardReader {

    private final WebClient http;
    private final ClusterViewSource cluster;

    public HttpShardReader(WebClient.Builder builder, ClusterViewSource cluster) {
        this.http = builder.build();
        this.cluster = cluster;
    }

    @Override
    public Mono<ShardQueryResult> query(String node, ShardId shard, ShardQuery query) {
        StorageNode target = cluster.current().node(node).orElse(null);
        if (target == null) {
            return Mono.error(new TimberException(ErrorCode.UNAVAILABLE, "storage node " + node + " is not in the cluster view"));
        }
        return http.post()
                .uri(target.address() + "/internal/v1/shards/{partition}/{shard}/query", shard.partition(), shard.shard())
                .bodyValue(query)
                .retrieve()
                .bodyToMono(ShardQueryResult.class);
    }
}
