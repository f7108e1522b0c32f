package io.timberdb.query.plan;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.QueryRequest;
import io.timberdb.model.api.QueryResponse;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.query.control.QueryMemory;
import io.timberdb.query.control.QueryProgress;
import io.timberdb.query.control.QueryProperties;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Executes the JSON filter query: plans the shards of the partitions asked for (all of them
 * when none is named), sends the filter to every shard's node, and merges the answers newest
 * first (ties by id, newest id first), cut to {@code limit}. A shard that fails or times out
 * makes the result {@code partial} with the reason in {@code error}; it is never silently
 * dropped. The entries gathered count against the query's memory budget ({@link QueryMemory}):
 * past it the query fails whole.
 *
 * <p>Thread-safe: stateless.
 */
public final class QueryExecutor {

    private final ClusterViewSource cluster;
    private final ShardReader reader;
    private final InstantSource clock;
    private final QueryProperties limits;

    public QueryExecutor(ClusterViewSource cluster, ShardReader reader, InstantSource clock) {
        this(cluster, reader, clock, QueryProperties.DEFAULTS);
    }

    public QueryExecutor(ClusterViewSource cluster, ShardReader reader, InstantSource clock, QueryProperties limits) {
        this.cluster = cluster;
        this.reader = reader;
        this.clock = clock;
        this.limits = limits;
    }

    /** Runs a query under a random id, its progress untracked; the request is validated here. */
    public Mono<QueryResponse> execute(QueryRequest raw) {
        return execute(raw, UUID.randomUUID().toString(), QueryProgress.untracked());
    }

    /**
     * Runs a query; the request is validated here, against the configured limits.
     *
     * @param id the query's id, answered in the response
     * @param progress filled in as shards answer
     */
    public Mono<QueryResponse> execute(QueryRequest raw, String id, QueryProgress progress) {
        long started = clock.millis();
        QueryRequest request = raw.validated(limits.defaultLimit(), limits.maxResults(),
                Math.toIntExact(limits.timeout().toSeconds()), Math.toIntExact(limits.maxTimeout().toSeconds()));
        Duration timeout = Duration.ofSeconds(request.timeoutSeconds());
        QueryMemory memory = new QueryMemory(limits.maxMemoryPerQuery().toBytes());
        return partitions(request).flatMap(partitions -> {
            List<Mono<Outcome>> calls = new ArrayList<>();
            ShardQuery shardQuery = new ShardQuery(request.filter(), request.limit());
            for (Partition p : partitions) {
                for (Partition.ShardPlacement placement : p.shards()) {
                    ShardId shard = new ShardId(p.id(), placement.shard());
                    calls.add(reader.query(placement.node(), shard, shardQuery)
                            .timeout(timeout)
                            .map(result -> Outcome.ok(shard, result))
                            // a shard that fails makes the result partial; a query past its memory budget fails whole
                            .onErrorResume(e -> !isMemoryExceeded(e), e -> Mono.just(Outcome.failed(shard, placement.node(), e)))
                            .doOnNext(outcome -> {
                                if (outcome.result() != null) {
                                    memory.reserve(outcome.result().entries());
                                }
                                progress.shardDone(outcome.scanned(), outcome.matched());
                            }));
                }
            }
            progress.planned(calls.size());
            return Flux.merge(calls).collectList().map(outcomes -> merge(id, outcomes, request.limit(), started));
        });
    }

    private Mono<List<Partition>> partitions(QueryRequest request) {
        if (request.partitions().isEmpty()) {
            return cluster.refresh().map(view -> view.partitions())
                    .onErrorResume(e -> Mono.just(cluster.current().partitions()));
        }
        return Flux.fromIterable(request.partitions()).concatMap(cluster::partition).collectList();
    }

    private QueryResponse merge(String id, List<Outcome> outcomes, int limit, long started) {
        List<LogEntry> entries = new ArrayList<>();
        long scanned = 0;
        long matched = 0;
        List<String> failures = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.result() != null) {
                entries.addAll(o.result().entries());
                scanned += o.result().scanned();
                matched += o.result().matched();
                o.result().unreadable().forEach(what -> failures.add("shard " + o.shard() + ": " + what));
            } else {
                failures.add(o.failure());
            }
        }
        entries.sort(LogEntry.NEWEST_FIRST);
        List<LogEntry> page = entries.size() > limit ? List.copyOf(entries.subList(0, limit)) : entries;
        String error = failures.isEmpty() ? null
                : "the result may be incomplete: " + String.join("; ", failures);
        return new QueryResponse(id, clock.millis() - started, scanned, matched, page,
                !failures.isEmpty(), error);
    }

    private static boolean isMemoryExceeded(Throwable e) {
        return e instanceof TimberException te && te.code() == ErrorCode.QUERY_MEMORY_EXCEEDED;
    }

    private record Outcome(ShardId shard, ShardQueryResult result, String failure) {
        long scanned() {
            return result == null ? 0 : result.scanned();
        }

        long matched() {
            return result == null ? 0 : result.matched();
        }

        static Outcome ok(ShardId shard, ShardQueryResult result) {
            return new Outcome(shard, result, null);
        }

        static Outcome failed(ShardId shard, String node, Throwable e) {
            String why = e instanceof TimeoutException ? "timed out"
                    : e instanceof TimberException te && te.code() != ErrorCode.INTERNAL ? te.getMessage() : e.toString();
            return new Outcome(shard, null, "shard " + shard + " on " + node + " did not answer: " + why);
        }
    }
}
