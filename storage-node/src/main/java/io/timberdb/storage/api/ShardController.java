package io.timberdb.storage.api;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.config.NodeProperties;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.model.shard.ShardVersion;
import io.timberdb.model.shard.ShardWriter;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The storage node's internal shard API, called by ingest and query services:
 * <ul>
 *   <li>{@code POST /internal/v1/shards/{partition}/{shard}/entries}: a JSON array of
 *       {@link LogEntry} (validated, with ids) → {@code 204} once committed: durable (fsynced)
 *       on every in-sync replica (see {@code ReplicaManager}); {@code NOT_LEADER} on a node that
 *       does not lead the shard;</li>
 *   <li>{@code POST /internal/v1/shards/{partition}/{shard}/query}: a {@link ShardQuery} →
 *       {@link ShardQueryResult} (with the shard's data version read before the scan);</li>
 *   <li>{@code GET /internal/v1/shards/{partition}/{shard}/version} → {@link ShardVersion}, cheaply,
 *       for the query service to tell whether a cached answer still holds.</li>
 * </ul>
 * Errors are problem details ({@link StorageProblemDetailsAdvice}). Stateless; thread-safe.
 */
@RestController
@RequestMapping(path = "/internal/v1/shards/{partition}/{shard}", consumes = MediaType.APPLICATION_JSON_VALUE)
public class ShardController {

    private final ShardWriter writer;
    private final ShardReader reader;
    private final String nodeId;

    public ShardController(ShardWriter writer, ShardReader reader, NodeProperties node) {
        this.writer = writer;
        this.reader = reader;
        this.nodeId = node.nodeId();
    }

    @PostMapping("/entries")
    public Mono<ResponseEntity<Void>> append(@PathVariable String partition, @PathVariable int shard,
                                             @RequestBody List<LogEntry> entries) {
        return writer.append(nodeId, new ShardId(partition, shard), entries)
                .then(Mono.fromSupplier(() -> ResponseEntity.noContent().build()));
    }

    @PostMapping(path = "/query", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ShardQueryResult> query(@PathVariable String partition, @PathVariable int shard,
                                        @RequestBody ShardQuery query) {
        return reader.query(nodeId, new ShardId(partition, shard), query);
    }

    /** Has no body: accepts any content type, or none, unlike the class's other routes. */
    @GetMapping(path = "/version", consumes = MediaType.ALL_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ShardVersion> version(@PathVariable String partition, @PathVariable int shard) {
        return reader.version(nodeId, new ShardId(partition, shard))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("the shard reader does not tell versions")));
    }
}
