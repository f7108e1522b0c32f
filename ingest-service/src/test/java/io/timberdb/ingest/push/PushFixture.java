package io.timberdb.ingest.push;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.function.BiFunction;
import java.util.function.Supplier;
import net.jqwik.api.statistics.Statistics;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * A push controller over an in-memory store of the given partitions; what is written is kept by
 * partition. The write path's clock is fixed at {@link #NOW}.
 */
public class PushFixture {

    public static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

    /** The entries written, by partition id. */
    public final Map<String, List<LogEntry>> written = new ConcurrentHashMap<>();
    /** When set, every write fails as a busy shard does. */
    public volatile boolean busy;

    public final WebTestClient http;

    /**
     * @param controller makes the controller under test from the router and the cluster view
     * @param codecLimit the codecs' in-memory limit, in bytes
     */
    public PushFixture(List<Partition> partitions, BiFunction<EntryRouter, ClusterViewSource, Object> controller,
                       int codecLimit) {
        ShardWriter store = (node, shard, entries) -> busy
                ? Mono.error(new TimberException(ErrorCode.UNAVAILABLE, "shard " + shard + " is busy"))
                : Mono.fromRunnable(() -> written.computeIfAbsent(shard.partition(), p -> new ArrayList<>()).addAll(entries));
        ClusterViewSource view = ClusterViewSource.fixed(new ClusterView(1, null, List.of(), partitions));
        EntryRouter router = new EntryRouter(view, store, InstantSource.fixed(NOW));
        http = WebTestClient.bindToController(controller.apply(router, view))
                .controllerAdvice(new IngestProblems())
                .httpMessageCodecs(codecs -> codecs.defaultCodecs().maxInMemorySize(codecLimit)).build();
    }

    /**
     * Posts {@code body} to {@code path} of a fresh store made by {@code fixture} and checks what a
     * fuzz property demands: the answer is {@code success} or a 4xx the route gives (never 500), and
     * a refused request stored nothing. Collects the status for jqwik's statistics.
     */
    public static void postNeverFails(Supplier<? extends PushFixture> fixture, String path, MediaType type, byte[] body,
                                      int success) {
        postNeverFails(fixture, path, type, null, body, success);
    }

    /** As {@link #postNeverFails(Supplier, String, MediaType, byte[], int)}, with a {@code Content-Encoding}. */
    public static void postNeverFails(Supplier<? extends PushFixture> fixture, String path, MediaType type,
                                      String encoding, byte[] body, int success) {
        PushFixture store = fixture.get();
        int status = store.post(path, type, encoding, body).getStatus().value();
        Statistics.collect(status);
        assertThat(status).as("status").isIn(success, 400, 404, 413);
        if (status != success) {
            assertThat(store.total()).as("entries stored by a refused request").isZero();
        }
    }

    /** Posts {@code body} to {@code path}, with a {@code Content-Encoding} unless it is null. */
    public EntityExchangeResult<byte[]> post(String path, MediaType type, String encoding, byte[] body) {
        return http.post().uri(path).contentType(type)
                .headers(headers -> {
                    if (encoding != null) {
                        headers.set(HttpHeaders.CONTENT_ENCODING, encoding);
                    }
                }).bodyValue(body).exchange().expectBody().returnResult();
    }

    /** Checks that {@code response} is a problem detail of {@code status} and {@code code}, naming {@code field} unless it is null. */
    public static void problem(WebTestClient.ResponseSpec response, int status, String code, String field) {
        var body = response.expectStatus().isEqualTo(status).expectBody().jsonPath("$.code").isEqualTo(code);
        if (field != null) {
            body.jsonPath("$.field").isEqualTo(field);
        }
    }

    /** All entries written to {@code partition}, in order. */
    public List<LogEntry> in(Partition partition) {
        return written.getOrDefault(partition.id(), List.of());
    }

    public int total() {
        return written.values().stream().mapToInt(List::size).sum();
    }

    /** A partition of {@code shards} shards, on nodes {@code storage-0...}. */
    public static Partition partition(String id, String name, int shards) {
        List<Partition.ShardPlacement> placements = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            placements.add(new Partition.ShardPlacement(i, "storage-" + i));
        }
        return new Partition(id, name, Map.of(), 30, Instant.EPOCH, placements);
    }
}
