package io.timberdb.ingest.route;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Appends to a shard on a remote storage node: {@code POST /internal/v1/shards/{p}/{s}/entries}.
 * The node answers 204 only once the batch is committed (durable on its in-sync replicas), so
 * completion is the acknowledgement. One call is one attempt: a refusal becomes a
 * {@link TimberException} with the node's own code, detail, field and extra properties (a
 * {@code NOT_LEADER}'s {@code leader} and {@code epoch}); a node that cannot be reached or does
 * not answer within the attempt's timeout becomes {@code UNAVAILABLE}. Retrying is
 * {@link LeaderShardWriter}'s business.
 *
 * <p>Thread-safe: stateless.
 */
public final class HttpShardWriter implements ShardWriter {

    private static final ParameterizedTypeReference<Map<String, Object>> PROBLEM = new ParameterizedTypeReference<>() {
    };

    private final WebClient http;
    private final ClusterViewSource cluster;
    private final Duration timeout;

    /** @param timeout how long one attempt may wait for the node's answer */
    public HttpShardWriter(WebClient.Builder builder, ClusterViewSource cluster, Duration timeout) {
        this.http = builder.build();
        this.cluster = cluster;
        this.timeout = timeout;
    }

    @Override
    public Mono<Void> append(String node, ShardId shard, List<LogEntry> entries) {
        StorageNode target = cluster.current().node(node).orElse(null);
        if (target == null) {
            return Mono.error(new TimberException(ErrorCode.UNAVAILABLE,
                    "storage node " + node + " of shard " + shard + " is not in the cluster view"));
        }
        return http.post()
                .uri(target.address() + "/internal/v1/shards/{partition}/{shard}/entries", shard.partition(), shard.shard())
                .bodyValue(entries)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.releaseBody()
                        : response.bodyToMono(PROBLEM).onErrorReturn(Map.of()).defaultIfEmpty(Map.of())
                                .flatMap(problem -> Mono.error(TimberException.relayed(
                                        response.statusCode().value(), problem, "storage node " + node))))
                .timeout(timeout)
                .onErrorMap(WebClientRequestException.class, e -> new TimberException(ErrorCode.UNAVAILABLE,
                        "storage node " + node + " (" + target.address() + ") is unreachable: " + e.getMessage(), null, e))
                .onErrorMap(TimeoutException.class, e -> new TimberException(ErrorCode.UNAVAILABLE,
                        "storage node " + node + " (" + target.address() + ") did not answer within "
                                + timeout.toMillis() + " ms", null, e))
                .then();
    }
}
