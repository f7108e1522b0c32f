package io.timberdb.query.plan;

import io.timberdb.model.api.LanguageQueryRequest;
import io.timberdb.model.api.LanguageQueryResponse;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.QueryRequest;
import io.timberdb.model.api.QueryResponse;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.query.Query;
import io.timberdb.model.query.QueryParser;
import io.timberdb.model.query.QueryPrinter;
import io.timberdb.model.query.QueryRequests;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.query.control.QueryMemory;
import io.timberdb.query.control.QueryProgress;
import io.timberdb.query.control.QueryProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Executes queries, of the language and of the JSON form alike: plans the shards of the
 * partitions asked for (all of them when none is named), sends the query's canonical text to
 * every shard's node ({@link ShardFanout}), and merges the answers — for the JSON form newest
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
     * Runs a query of the JSON form; the request is validated here, against the configured limits.
     * It runs on the language's engine: the filter becomes the query {@link QueryRequests#toQuery}
     * maps it to, and each shard gets that query's text as a query of the language gets it.
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
        Query query = QueryRequests.toQuery(request);
        String text = QueryPrinter.print(query);
        Instant now = clock.instant();
        ShardQuery shardQuery = new ShardQuery(null, request.limit(), text, now, null);
        return partitions(request.partitions()).flatMap(partitions ->
                        ShardFanout.send(reader, partitions, shardQuery, timeout, memory, progress))
                .map(outcomes -> {
                    LanguageQueryResponse merged = LanguageMerge.merge(id, query, text, now, outcomes,
                            clock.millis() - started);
                    return new QueryResponse(id, merged.executionTimeMs(), merged.scannedEntries(),
                            merged.matchedEntries(), merged.entries(), merged.partial(), merged.error());
                });
    }

    /**
     * Runs a query of the language ({@code POST /api/v1/query}): parses and checks it (syntax and
     * meaning errors carry line and column), fills in the configured LIMIT, fixes {@code now()}, sends
     * its canonical text to every shard of its partitions (see {@link ShardQuery}) and merges the
     * answers ({@link LanguageMerge}).
     *
     * @param id the query's id, answered in the response
     * @param progress filled in as shards answer
     */
    public Mono<LanguageQueryResponse> execute(LanguageQueryRequest request, String id, QueryProgress progress) {
        long started = clock.millis();
        if (request.query() == null || request.query().isBlank()) {
            throw TimberException.missingField("query");
        }
        Query parsed = QueryParser.parse(request.query());
        int limit = parsed.limit() == null ? limits.defaultLimit() : parsed.limit();
        if (limit > limits.maxResults()) {
            throw TimberException.invalidField("query", "asks for LIMIT " + limit + "; this server returns at most "
                    + limits.maxResults() + " (timberdb.query.max-results)");
        }
        int maxTimeout = Math.toIntExact(limits.maxTimeout().toSeconds());
        Integer seconds = request.timeoutSeconds();
        if (seconds != null && (seconds < 1 || seconds > maxTimeout)) {
            throw TimberException.invalidField("timeout_seconds", "must be between 1 and " + maxTimeout);
        }
        Duration timeout = seconds == null ? limits.timeout() : Duration.ofSeconds(seconds);
        Query query = new Query(parsed.explain(), parsed.select(), parsed.from(), parsed.where(), parsed.groupBy(),
                parsed.orderBy(), limit);
        PageCursor cursor = null;
        if (request.cursor() != null) {
            if (query.isAggregating() || query.explain()) {
                throw TimberException.invalidField("cursor", "continues entry queries only, not aggregates or EXPLAIN");
            }
            cursor = PageCursor.decode(request.cursor(), query);
        }
        Instant now = cursor == null ? clock.instant() : cursor.now();
        String text = QueryPrinter.print(query);
        String explained = QueryPrinter.print(new Query(false, query.select(), query.from(), query.where(),
                query.groupBy(), query.orderBy(), limit));
        ShardQuery shardQuery = new ShardQuery(null, limit, text, now, cursor == null ? null : cursor.after());
        QueryMemory memory = new QueryMemory(limits.maxMemoryPerQuery().toBytes());
        return partitions(query.from()).flatMap(partitions ->
                        ShardFanout.send(reader, partitions, shardQuery, timeout, memory, progress))
                .map(outcomes -> LanguageMerge.merge(id, query, explained, now, outcomes, clock.millis() - started));
    }

    /** The partitions named (by id or name, each once), or every partition for none. */
    private Mono<List<Partition>> partitions(List<String> named) {
        if (named.isEmpty()) {
            return cluster.refresh().map(view -> view.partitions())
                    .onErrorResume(e -> Mono.just(cluster.current().partitions()));
        }
        return Flux.fromIterable(named).concatMap(cluster::partition).distinct(Partition::id).collectList();
    }
}
