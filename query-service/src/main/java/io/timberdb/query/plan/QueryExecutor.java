package io.timberdb.query.plan;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import io.timberdb.security.tenant.CallerTenant;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Executes queries, of the language and of the JSON form alike: plans the shards of the
 * caller's partitions asked for (all of its tenant's when none is named), sends the query's canonical text to
 * one in-sync replica of every shard, failing over and hedging to the others ({@link ShardFanout},
 * {@link ReplicaReads}; {@code timberdb.query.hedge-delay}), and merges the answers — for the JSON
 * form newest first (ties by id, newest id first), cut to {@code limit}. A shard that no in-sync
 * replica answered in time makes the result {@code partial}, listed in {@code missing_shards} with
 * the reasons in {@code error} and logged as a warning; it is never silently dropped. The entries
 * gathered count against the query's memory budget ({@link QueryMemory}): past it the query fails
 * whole, as it does when a replica refuses the query itself (a 4xx problem, answered as it is).
 *
 * <p>Complete answers are kept in a result cache ({@link ResultCache},
 * {@code timberdb.query.result-cache-size}) and answered again, under the new query's id, to an
 * identical query as long as every shard it read reports the data version the answer was computed
 * at; a query that names no partition resolves "all partitions" first, so a new partition makes it
 * a new query.
 *
 * <p>Thread-safe: holds no state but the result cache, which is thread-safe.
 */
public final class QueryExecutor {

    private static final Logger log = LoggerFactory.getLogger(QueryExecutor.class);

    private final ClusterViewSource cluster;
    private final ShardReader reader;
    private final ReplicaReads reads;
    private final InstantSource clock;
    private final QueryProperties limits;
    private final ResultCache cache;

    public QueryExecutor(ClusterViewSource cluster, ShardReader reader, InstantSource clock) {
        this(cluster, reader, clock, QueryProperties.DEFAULTS);
    }

    /** An executor whose result cache's metrics are registered nowhere else. */
    public QueryExecutor(ClusterViewSource cluster, ShardReader reader, InstantSource clock, QueryProperties limits) {
        this(cluster, reader, clock, limits, new SimpleMeterRegistry());
    }

    /** @param metrics where the result cache's and the replica reads' counters are registered */
    public QueryExecutor(ClusterViewSource cluster, ShardReader reader, InstantSource clock, QueryProperties limits,
                         MeterRegistry metrics) {
        this.cluster = cluster;
        this.reader = reader;
        this.clock = clock;
        this.limits = limits;
        this.cache = new ResultCache(limits.resultCacheSize().toBytes(), metrics);
        this.reads = new ReplicaReads(reader, limits.hedgeDelay(), metrics);
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
        Query query = QueryRequests.toQuery(request);
        String text = QueryPrinter.print(query);
        Instant now = clock.instant();
        ShardQuery shardQuery = new ShardQuery(null, request.limit(), text, now, null, timeout.toMillis());
        return answer(new Run(id, query, text, shardQuery, false, timeout, progress, started), request.partitions())
                .map(merged -> new QueryResponse(id, merged.executionTimeMs(), merged.scannedEntries(),
                        merged.matchedEntries(), merged.entries(), merged.partial(), merged.error(),
                        merged.missingShards()));
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
        ShardQuery shardQuery = new ShardQuery(null, limit, text, now, cursor == null ? null : cursor.after(),
                timeout.toMillis());
        return answer(new Run(id, query, explained, shardQuery, cursor != null, timeout, progress, started), query.from());
    }

    /**
     * One query as the shards get it.
     *
     * @param text the canonical text the answer names (its plan's)
     * @param nowFixed whether {@code now()} comes from a cursor rather than the clock
     * @param started when the query started, in the clock's milliseconds
     */
    private record Run(String id, Query query, String text, ShardQuery sent, boolean nowFixed, Duration timeout,
                       QueryProgress progress, long started) {
    }

    /**
     * Answers {@code run} over the partitions {@code named}: from the result cache when an identical
     * query's answer still holds, else by sending it to every shard and merging (and caching the
     * answer if it may be).
     */
    private Mono<LanguageQueryResponse> answer(Run run, List<String> named) {
        return partitions(named).flatMap(partitions -> {
            if (!cache.cacheable(run.query(), run.nowFixed())) {
                return fanOut(run, partitions).map(Merged::answer);
            }
            ResultCache.Key key = ResultCache.Key.of(run.query(), run.sent(), partitions);
            return cache.lookup(key, partitions, reader)
                    .map(cached -> again(cached, run))
                    .switchIfEmpty(Mono.defer(() -> fanOut(run, partitions).map(merged -> {
                        cache.store(key, merged.outcomes(), merged.answer());
                        return merged.answer();
                    })));
        });
    }

    /** A merged answer and the shard outcomes it came from. */
    private record Merged(LanguageQueryResponse answer, List<ShardFanout.Outcome> outcomes) {
    }

    private Mono<Merged> fanOut(Run run, List<Partition> partitions) {
        QueryMemory memory = new QueryMemory(limits.maxMemoryPerQuery().toBytes());
        return ShardFanout.send(reads, partitions, run.sent(), run.timeout(), memory, run.progress())
                .map(outcomes -> {
                    LanguageQueryResponse answer = LanguageMerge.merge(run.id(), run.query(), run.text(),
                            run.sent().now(), outcomes, clock.millis() - run.started());
                    if (answer.missingShards() != null) {
                        log.warn("query {}: the answer is partial, no in-sync replica answered for shards {}: {}",
                                run.id(), answer.missingShards(), answer.error());
                    }
                    return new Merged(answer, outcomes);
                });
    }

    /** A cached answer as the answer to {@code run}: its id and time, the rest as computed. */
    private LanguageQueryResponse again(LanguageQueryResponse cached, Run run) {
        return new LanguageQueryResponse(run.id(), cached.columns(), cached.rows(), cached.entries(),
                cached.matchedEntries(), cached.scannedEntries(), clock.millis() - run.started(), cached.partial(),
                cached.error(), cached.missingShards(), cached.nextCursor(), cached.plan());
    }

    /**
     * The caller's partitions named (by id or name, each once), or every partition of the caller's
     * tenant for none ({@code FROM *}): another tenant's partition is not found, as a missing one.
     */
    private Mono<List<Partition>> partitions(List<String> named) {
        return CallerTenant.current().flatMap(tenant -> named.isEmpty()
                ? cluster.refresh().map(view -> view.partitionsOf(tenant))
                        .onErrorResume(e -> Mono.just(cluster.current().partitionsOf(tenant)))
                : Flux.fromIterable(named).concatMap(ref -> cluster.partition(tenant, ref)).distinct(Partition::id)
                        .collectList());
    }
}
