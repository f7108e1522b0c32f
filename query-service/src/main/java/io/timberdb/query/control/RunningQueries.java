package io.timberdb.query.control;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.security.tenant.CallerTenant;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;

/**
 * The queries this node is executing, and the most recent finished ones: admission (at most
 * {@code max_concurrent_queries} at once, 429 beyond), ids, status and cancellation.
 *
 * <p>A query is admitted by {@link #run}, which gives it an id (the client's, from
 * {@code X-Query-Id}, or a random UUID) and a {@link QueryProgress} for the executor to fill in.
 * {@link #cancel} makes the query's result an error ({@code QUERY_CANCELLED}) at once and
 * unsubscribes from the work still in flight, which stops the shard requests; a client that
 * disconnects cancels its query the same way. A finished query's status stays available until
 * {@code finished_queries_kept} newer ones have finished.
 *
 * <p>A query belongs to its caller's tenant ({@link CallerTenant}, read when it is admitted): its
 * status, cancellation and the running list answer that tenant only; another tenant's query is
 * not found, as a missing one. Ids are unique across tenants (a client-chosen id another tenant's
 * running query holds is {@code QUERY_ID_IN_USE}; random ids never collide).
 *
 * <p>Thread-safe.
 */
public final class RunningQueries {

    private static final Logger log = LoggerFactory.getLogger(RunningQueries.class);
    /** What a client-chosen id may be: letters, digits and {@code . _ : -}, 1 to 128 of them. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final QueryProperties properties;
    private final InstantSource clock;
    private final Semaphore slots;
    private final Map<String, Query> running = new ConcurrentHashMap<>();
    /** Finished queries by id, oldest first; guarded by itself. */
    private final LinkedHashMap<String, Finished> finished;

    public RunningQueries(QueryProperties properties, InstantSource clock) {
        this.properties = properties;
        this.clock = clock;
        this.slots = new Semaphore(properties.maxConcurrentQueries());
        int kept = properties.finishedQueriesKept();
        this.finished = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Finished> eldest) {
                return size() > kept;
            }
        };
    }

    /**
     * Admits a query and runs {@code body} as it, when subscribed.
     *
     * @param requestedId the id the client chose, or null for a random one
     * @param description what was asked, for the status API and the slow-query log
     * @param body the execution, given the query's id and its progress to fill in
     * @throws TimberException (as the Mono's error) {@code TOO_MANY_QUERIES} when every slot is
     *         taken, {@code QUERY_ID_IN_USE} when a running query has {@code requestedId},
     *         {@code INVALID_FIELD} for an id that is not allowed, {@code QUERY_CANCELLED} when
     *         cancelled before it answered
     */
    public <T> Mono<T> run(String requestedId, String description, Function<Admitted, Mono<T>> body) {
        return CallerTenant.current().flatMap(tenant -> Mono.defer(() -> {
            String id = requestedId == null ? UUID.randomUUID().toString() : checkedId(requestedId);
            if (!slots.tryAcquire()) {
                throw new TimberException(ErrorCode.TOO_MANY_QUERIES, "all " + properties.maxConcurrentQueries()
                        + " query slots are taken (timberdb.query.max-concurrent-queries); retry shortly");
            }
            Query query = new Query(id, tenant, description, clock.instant());
            if (running.putIfAbsent(id, query) != null) {
                slots.release();
                throw new TimberException(ErrorCode.QUERY_ID_IN_USE,
                        "a running query already has the id '" + id + "'", QueryHeaders.QUERY_ID);
            }
            // deferred: a body that throws while building its Mono fails this query, and frees its slot
            return Mono.defer(() -> body.apply(new Admitted(id, query.progress)))
                    .takeUntilOther(query.cancel.asMono())
                    .switchIfEmpty(Mono.defer(() -> query.cancelRequested.get()
                            ? Mono.error(new TimberException(ErrorCode.QUERY_CANCELLED,
                                    "query " + id + " was cancelled before it finished"))
                            : Mono.empty()))
                    .doOnSuccess(result -> query.end(QueryState.SUCCEEDED, null, clock.instant()))
                    .doOnError(e -> query.end(query.cancelRequested.get() ? QueryState.CANCELLED : QueryState.FAILED,
                            e.getMessage(), clock.instant()))
                    .doFinally(signal -> finish(query, signal));
        }));
    }

    /** The status of a running or recently finished query of {@code tenant}. */
    public Optional<QueryStatus> status(String tenant, String id) {
        Query query = running.get(id);
        if (query != null) {
            return query.tenant.equals(tenant) ? Optional.of(query.status(clock.instant())) : Optional.empty();
        }
        synchronized (finished) {
            return Optional.ofNullable(finished.get(id)).filter(f -> f.tenant().equals(tenant)).map(Finished::status);
        }
    }

    /**
     * Asks a running query to stop: its result becomes {@code QUERY_CANCELLED} and its shard
     * requests are abandoned. Returns the query's status afterwards; a finished query is left as
     * it was. Empty when no query of {@code tenant} has the id.
     */
    public Optional<QueryStatus> cancel(String tenant, String id) {
        Query query = running.get(id);
        if (query != null && query.tenant.equals(tenant) && query.cancelRequested.compareAndSet(false, true)) {
            query.cancel.tryEmitValue(Boolean.TRUE);
        }
        return status(tenant, id);
    }

    /** The running queries of {@code tenant}, oldest first. */
    public List<QueryStatus> running(String tenant) {
        Instant now = clock.instant();
        List<QueryStatus> all = new ArrayList<>();
        running.values().stream().filter(q -> q.tenant.equals(tenant)).forEach(q -> all.add(q.status(now)));
        all.sort((a, b) -> a.startedAt().compareTo(b.startedAt()));
        return all;
    }

    private void finish(Query query, SignalType signal) {
        if (signal == SignalType.CANCEL) {
            query.end(QueryState.CANCELLED, "the client went away before the answer", clock.instant());
        }
        QueryStatus status = query.status(clock.instant());
        synchronized (finished) {
            finished.put(query.id, new Finished(query.tenant, status));
        }
        running.remove(query.id, query);
        slots.release();
        if (Duration.ofMillis(status.elapsedMs()).compareTo(properties.slowQueryThreshold()) > 0) {
            log.info("slow query {}: {} ms, {}, {} of {} shards, {} scanned, {} matched: {}", status.id(),
                    status.elapsedMs(), status.state(), status.shardsDone(), status.shardsTotal(),
                    status.scannedEntries(), status.matchedEntries(), status.query());
        }
    }

    private static String checkedId(String id) {
        if (!ID.matcher(id).matches()) {
            throw TimberException.invalidField(QueryHeaders.QUERY_ID,
                    "must be 1 to 128 letters, digits or . _ : - (got '" + id + "')");
        }
        return id;
    }

    /** A query {@link #run} admitted: its id and the progress its executor fills in. */
    public record Admitted(String id, QueryProgress progress) {
    }

    /** A finished query's status and tenant. */
    private record Finished(String tenant, QueryStatus status) {
    }

    /** One admitted query. */
    private static final class Query {
        final String id;
        final String tenant;
        final String description;
        final Instant started;
        final QueryProgress progress = new QueryProgress();
        final Sinks.One<Boolean> cancel = Sinks.one();
        final AtomicBoolean cancelRequested = new AtomicBoolean();
        /** Set once, by {@link #end}; read by status readers. */
        volatile QueryState state = QueryState.RUNNING;
        volatile String error;
        volatile Instant ended;

        Query(String id, String tenant, String description, Instant started) {
            this.id = id;
            this.tenant = tenant;
            this.description = description;
            this.started = started;
        }

        synchronized void end(QueryState outcome, String why, Instant at) {
            if (state == QueryState.RUNNING) {
                error = why;
                ended = at;
                state = outcome;
            }
        }

        QueryStatus status(Instant now) {
            Instant end = ended != null ? ended : now;
            return new QueryStatus(id, state.name().toLowerCase(Locale.ROOT), description, started,
                    Math.max(0, Duration.between(started, end).toMillis()), progress.shardsTotal(),
                    progress.shardsDone(), progress.scanned(), progress.matched(), error);
        }
    }
}
