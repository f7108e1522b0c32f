package io.timberdb.ingest.loki;

import io.timberdb.ingest.api.IngestProblems;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardWriter;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Loki push controller over an in-memory store: partitions {@code loki} (the default, one
 * shard), {@code audit} (two shards) and {@code from-header}; what is written is kept by partition.
 */
final class LokiFixture {

    static final Partition LOKI = partition("p-loki", "loki", 1);
    static final Partition AUDIT = partition("p-audit", "audit", 2);
    static final Partition FROM_HEADER = partition("p-header", "from-header", 1);

    /** The entries written, by partition id. */
    final Map<String, List<LogEntry>> written = new ConcurrentHashMap<>();
    /** When set, every write fails as a busy shard does. */
    volatile boolean busy;

    final WebTestClient http;

    LokiFixture() {
        this(LokiProperties.defaults());
    }

    LokiFixture(LokiProperties props) {
        this(props, 256 * 1024);
    }

    /** With the codecs' in-memory limit at {@code codecLimit} bytes. */
    LokiFixture(LokiProperties props, int codecLimit) {
        ShardWriter store = (node, shard, entries) -> busy
                ? Mono.error(new TimberException(ErrorCode.UNAVAILABLE, "shard " + shard + " is busy"))
                : Mono.fromRunnable(() -> written.computeIfAbsent(shard.partition(), p -> new ArrayList<>()).addAll(entries));
        ClusterViewSource view = ClusterViewSource.fixed(new ClusterView(1, null, List.of(), List.of(LOKI, AUDIT, FROM_HEADER)));
        EntryRouter router = new EntryRouter(view, store, InstantSource.fixed(Instant.parse("2026-11-26T00:00:00Z")));
        http = WebTestClient.bindToController(new LokiPushController(router, view, props, JsonMapper.builder().build()))
                .controllerAdvice(new IngestProblems())
                .httpMessageCodecs(codecs -> codecs.defaultCodecs().maxInMemorySize(codecLimit)).build();
    }

    /** All entries written to {@code partition}, in order. */
    List<LogEntry> in(Partition partition) {
        return written.getOrDefault(partition.id(), List.of());
    }

    int total() {
        return written.values().stream().mapToInt(List::size).sum();
    }

    private static Partition partition(String id, String name, int shards) {
        List<Partition.ShardPlacement> placements = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            placements.add(new Partition.ShardPlacement(i, "storage-" + i));
        }
        return new Partition(id, name, Map.of(), 30, Instant.EPOCH, placements);
    }
}
