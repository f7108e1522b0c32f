package io.timberdb.ingest.limit;

import io.timberdb.ingest.api.IngestProblems;
import io.timberdb.ingest.api.NativeApiConfiguration;
import io.timberdb.ingest.elastic.ElasticsearchApiConfiguration;
import io.timberdb.ingest.loki.LokiConfiguration;
import io.timberdb.ingest.otlp.OtlpConfiguration;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.shard.ShardWriter;
import io.timberdb.model.web.NodeIdentity;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import reactor.core.publisher.Mono;

/**
 * The ingest routes of every protocol (native, Elasticsearch bulk, Loki push, OTLP/HTTP) as the
 * ingest service wires them, with the rate limiter, over an in-memory store and a clock the test
 * moves. Partitions: {@code logs}, {@code loki} and {@code otel} of the default tenant, and
 * {@code acme-logs} of tenant {@code acme}.
 */
@SpringBootConfiguration
@TestComponent // so that the service's own context (IngestServiceApplication's scan) does not pick it up
@EnableAutoConfiguration
@Import({NativeApiConfiguration.class, ElasticsearchApiConfiguration.class, LokiConfiguration.class, OtlpConfiguration.class,
        RateLimitConfiguration.class, IngestProblems.class})
class IngestRoutesContext {

    static final Instant START = Instant.parse("2026-11-26T12:00:00Z");

    /** What every route stored. */
    final List<LogEntry> stored = new CopyOnWriteArrayList<>();

    /** A clock that stands still until the test moves it. */
    static final class TestClock implements InstantSource {
        private final AtomicReference<Instant> now = new AtomicReference<>(START);

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }
    }

    static Partition partition(String name, String tenant) {
        return new Partition("p-" + name, name, Map.of(), 30, Instant.EPOCH, List.of(new Partition.ShardPlacement(0, "local")),
                null, null, null, tenant, 1, 1);
    }

    @Bean
    TestClock clock() {
        return new TestClock();
    }

    /**
     * The partitions, found whatever the caller's tenant: these tests name tenants with
     * {@code X-Scope-OrgID} to pick whose rate-limit budget a request spends, while tenant
     * isolation (which the same header drives with authentication off) has tests of its own.
     */
    @Bean
    ClusterViewSource clusterView() {
        ClusterViewSource fixed = ClusterViewSource.fixed(new ClusterView(1, null, List.of(), List.of(
                partition("logs", null), partition("loki", null), partition("otel", null), partition("acme-logs", "acme"))));
        return new ClusterViewSource() {
            @Override
            public ClusterView current() {
                return fixed.current();
            }

            @Override
            public Mono<ClusterView> refresh() {
                return fixed.refresh();
            }

            @Override
            public Mono<Partition> partition(String tenant, String idOrName) {
                return fixed.partition(idOrName);
            }
        };
    }

    @Bean
    EntryRouter entryRouter(ClusterViewSource view, TestClock clock) {
        ShardWriter writer = (node, shard, entries) -> Mono.fromRunnable(() -> stored.addAll(entries));
        return new EntryRouter(view, writer, clock);
    }

    @Bean
    NodeIdentity nodeIdentity() {
        return new NodeIdentity("ingest-1", "ingest", "0.1.0", START);
    }
}
