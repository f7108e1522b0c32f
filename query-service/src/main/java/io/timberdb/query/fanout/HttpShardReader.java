package io.timberdb.query.fanout;

import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.model.shard.ShardVersion;
import io.timberdb.query.control.QueryMemory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Queries a shard on a remote storage node: {@code POST /internal/v1/shards/{p}/{s}/query}; asks
 * its data version: {@code GET /internal/v1/shards/{p}/{s}/version}.
 *
 * <p>Thread-safe: stateless.
 */
public final class HttpShardReader implements ShardReader {

    private final WebClient http;
    private final ClusterViewSource cluster;

    private final int maxAnswerBytes;

    /**
     * @param maxAnswerBytes the largest shard answer read (the query's memory budget): a larger
     *        one fails the query with {@code QUERY_MEMORY_EXCEEDED}
     */
    public HttpShardReader(WebClient.Builder builder, ClusterViewSource cluster, int maxAnswerBytes) {
        this.http = builder.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxAnswerBytes)).build();
        this.cluster = cluster;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    @Override
    public Mono<ShardQueryResult> query(String node, ShardId shard, ShardQuery query) {
        StorageNode target = cluster.current().node(node).orElse(null);
        if (target == null) {
            return notInView(node);
        }
        return http.post()
                .uri(target.address() + "/internal/v1/shards/{partition}/{shard}/query", shard.partition(), shard.shard())
                .bodyValue(query)
                .retrieve()
                .bodyToMono(ShardQueryResult.class)
                .onErrorMap(HttpShardReader::tooLarge, e -> QueryMemory.exceeded(maxAnswerBytes));
    }

    /** Fails like a query would (a node of an older version answers 404): the caller then cannot tell. */
    @Override
    public Mono<ShardVersion> version(String node, ShardId shard) {
        StorageNode target = cluster.current().node(node).orElse(null);
        if (target == null) {
            return notInView(node);
        }
        return http.get()
                .uri(target.address() + "/internal/v1/shards/{partition}/{shard}/version", shard.partition(), shard.shard())
                .retrieve()
                .bodyToMono(ShardVersion.class);
    }

    private static <T> Mono<T> notInView(String node) {
        return Mono.error(new TimberException(ErrorCode.UNAVAILABLE, "storage node " + node + " is not in the cluster view"));
    }

    /** Whether a failure is an answer larger than the codec reads, maybe wrapped by the decoder. */
    private static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return true;
            }
        }
        return false;
    }
}
