package io.timberdb.query.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.timberdb.model.api.LanguageQueryRequest;
import io.timberdb.model.api.LanguageQueryResponse;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.model.shard.ShardVersion;
import io.timberdb.query.control.QueryProgress;
import io.timberdb.query.control.QueryProperties;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;

/** The result cache over replicated shards: an answer is only ever checked against the replica it came from. */
class ReplicaResultCacheTest {

    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    static final ShardId SHARD = new ShardId("p-1", 0);

    static Partition logs(List<String> isr) {
        return new Partition("p-1", "logs", Map.of(), 30, T0, List.of(new Partition.ShardPlacement(0, "storage-1",
                List.of("storage-1", "storage-2", "storage-3"), isr, 3)), null, null, null, null, 3, 1);
    }

    /**
     * Three replicas of one shard, each with its own entries and version (each draws its own epoch:
     * here they happen to collide, as the test wants); nodes in {@code down} refuse queries.
     */
    static final class Replicas implements ShardReader {
        final Map<String, List<LogEntry>> entries = new ConcurrentHashMap<>();
        final Set<String> down = ConcurrentHashMap.newKeySet();
        final List<String> queried = new CopyOnWriteArrayList<>();
        final List<String> versionsAsked = new CopyOnWriteArrayList<>();

        @Override
        public Mono<ShardQueryResult> query(String node, ShardId shard, ShardQuery query) {
            queried.add(node);
            if (down.contains(node)) {
                return Mono.error(new ConnectException("Connection refused"));
            }
            List<LogEntry> held = entries.getOrDefault(node, List.of());
            return Mono.just(new ShardQueryResult(held, held.size(), held.size()).withVersion(version(node)));
        }

        @Override
        public Mono<ShardVersion> version(String node, ShardId shard) {
            versionsAsked.add(node);
            return down.contains(node) ? Mono.error(new ConnectException("Connection refused")) : Mono.just(version(node));
        }

        ShardVersion version(String node) {
            return new ShardVersion(7, entries.getOrDefault(node, List.of()).size());
        }
    }

    final Replicas replicas = new Replicas();
    final AtomicReference<ClusterView> view = new AtomicReference<>(
            new ClusterView(1, null, List.of(), List.of(logs(List.of("storage-1", "storage-2", "storage-3")))));
    final ClusterViewSource source = new ClusterViewSource() {
        @Override
        public ClusterView current() {
            return view.get();
        }

        @Override
        public Mono<ClusterView> refresh() {
            return Mono.fromSupplier(view::get);
        }
    };
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final QueryExecutor executor = new QueryExecutor(source, replicas, InstantSource.fixed(T0),
            QueryProperties.DEFAULTS.withResultCacheSize(DataSize.ofMegabytes(1)), metrics);

    static LogEntry entry(String id) {
        return new LogEntry(id, T0.minusSeconds(10), "web", Map.of(), "GET /" + id);
    }

    List<String> logs() {
        LanguageQueryResponse answer = executor.execute(new LanguageQueryRequest("SELECT * FROM logs", null, null), "q",
                QueryProgress.untracked()).block(Duration.ofSeconds(5));
        assertThat(answer.partial()).isFalse();
        return answer.entries().stream().map(LogEntry::id).toList();
    }

    double lookups(String result) {
        return metrics.counter("timberdb.query.result.cache", "result", result).count();
    }

    @Test
    void aCachedAnswerIsCheckedAgainstTheReplicaThatGaveItNotTheLeader() {
        replicas.down.add("storage-1");
        replicas.entries.put("storage-2", List.of(entry("a")));
        assertThat(logs()).containsExactly("a");
        assertThat(replicas.queried).containsExactly("storage-1", "storage-2");

        assertThat(logs()).containsExactly("a");
        assertThat(replicas.versionsAsked).containsExactly("storage-2");
        assertThat(replicas.queried).as("answered from the cache").hasSize(2);
        assertThat(lookups("hit")).isEqualTo(1);
    }

    @Test
    void anAnswerCachedFromAReplicaThatLeftTheIsrIsNotServedAgainstAnotherReplicasEqualVersion() {
        replicas.down.add("storage-1");
        replicas.entries.put("storage-2", List.of(entry("a")));
        assertThat(logs()).containsExactly("a");

        // storage-2 falls behind; storage-1 is back and holds another entry at the same version number
        replicas.down.clear();
        replicas.entries.put("storage-1", List.of(entry("b")));
        view.set(new ClusterView(2, null, List.of(), List.of(logs(List.of("storage-1", "storage-3")))));
        assertThat(replicas.version("storage-1")).isEqualTo(replicas.version("storage-2"));

        assertThat(logs()).containsExactly("b");
        assertThat(replicas.versionsAsked).as("a replica out of sync is not asked").isEmpty();
        assertThat(lookups("stale")).isEqualTo(1);
        assertThat(lookups("hit")).isZero();
    }
}
