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
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Queries a shard on a remote storage node: {@code POST /internal/v1/shards/{p}/{s}/query}; asks
 * its data version: {@code GET /internal/v1/shards/{p}/{s}/version}.
 *
 * <p>A query the node refuses with a problem detail fails with the {@link TimberException} it
 * stands for (its code, detail, field and other members), so that the query service can tell a
 * replica's fault (5xx) from the query's (4xx) and answer the latter as it is; an answer that is no
 * problem detail fails with the usual {@link WebClientResponseException}. Cancelling the returned
 * {@code Mono} (a hedged request that lost) aborts the exchange.
 *
 * <p>Thread-safe: stateless.
 */
public final class HttpShardReader implements ShardReader {

    /** The members of a problem detail that {@link TimberException} holds apart from its properties. */
    private static final Set<String> STANDARD_MEMBERS = Set.of("type", "title", "status", "detail", "instance", "code",
            "field");

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
                .onStatus(HttpStatusCode::isError, HttpShardReader::problem)
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

    /** The node's problem detail as a {@link TimberException}, or the response's exception when it is none. */
    private static Mono<Throwable> problem(ClientResponse response) {
        return response.createException().map(e -> {
            Map<?, ?> body;
            try {
                body = e.getResponseBodyAs(Map.class);
            } catch (RuntimeException notJson) {
                return e;
            }
            if (body == null || !(body.get("code") instanceof String code)) {
                return e;
            }
            Map<String, Object> members = new HashMap<>();
            body.forEach((name, value) -> {
                if (name instanceof String key && value != null && !STANDARD_MEMBERS.contains(key)) {
                    members.put(key, value);
                }
            });
            String detail = body.get("detail") instanceof String d ? d : e.getMessage();
            String field = body.get("field") instanceof String f ? f : null;
            return new TimberException(ErrorCode.fromCode(code), detail, field, members, e);
        });
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
