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
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Appends to a shard on a remote storage node: {@code POST /internal/v1/shards/{p}/{s}/entries}.
 * The node answers 204 only after its WAL is fsynced, so completion is the acknowledgement.
 *
 * <p>Thread-safe: stateless.
 */
public final class HttpShardWriter implements ShardWriter {

    private final WebClient http;
    private final ClusterViewSource cluster;
    private final Duration timeout;

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
                .retrieve()
                .toBodilessEntity()
                .timeout(timeout)
                .onErrorMap(WebClientRequestException.class, e -> new TimberException(ErrorCode.UNAVAILABLE,
                        "storage node " + node + " (" + target.address() + ") is unreachable: " + e.getMessage(), null, e))
                .then();
    }
}
