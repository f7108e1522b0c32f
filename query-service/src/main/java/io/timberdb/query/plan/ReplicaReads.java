package io.timberdb.query.plan;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Reads one shard from one of its in-sync replicas (TDB-05): every in-sync replica serves only
 * committed entries, so any of them answers correctly; a replica outside the ISR may be behind and
 * is never read.
 *
 * <ul>
 *   <li><b>Order</b> ({@link #candidates}): the leader, if it is in sync, then the other in-sync
 *       replicas in ISR order.</li>
 *   <li><b>Failover</b>: a replica's fault — a connection failure, a timeout, a 5xx or 429 answer,
 *       anything not a problem of the query — moves on to the next candidate. A 4xx problem (the
 *       query's fault, which every replica would answer alike) and {@code QUERY_MEMORY_EXCEEDED}
 *       are not failed over: the read fails with them as they are.</li>
 *   <li><b>Hedging</b>: when the first replica has not answered within the hedge delay
 *       ({@code timberdb.query.hedge-delay}; zero turns it off), the same query goes to the next
 *       candidate not yet asked. The two requests race; the first answer is taken and the other
 *       request is cancelled (its subscription disposed, which closes an HTTP exchange). Either
 *       racer fails over on its own to the candidates left.</li>
 *   <li><b>One answer per shard</b>: the read emits exactly one replica's answer, so entries and
 *       aggregates of a shard are never merged twice.</li>
 *   <li><b>Missing</b>: when every candidate failed, or the query's deadline passed first, the
 *       read fails with {@link ShardUnavailable}, saying what each replica did.</li>
 * </ul>
 * Each request after the first gets what is left of the query's time budget
 * ({@link ShardQuery#budgetMillis()}), so that a late replica does not scan past the deadline.
 *
 * <p>Metrics: {@code timberdb.query.hedges} (hedged requests sent), {@code timberdb.query.hedge.wins}
 * (shards answered by the hedged request first), {@code timberdb.query.failovers} (requests sent
 * to the next replica after a replica's fault).
 *
 * <p>Thread-safe: the counters are; each read keeps its own state.
 */
final class ReplicaReads {

    private final ShardReader reader;
    private final Duration hedgeDelay;
    private final Counter hedges;
    private final Counter hedgeWins;
    private final Counter failovers;

    /** @param hedgeDelay when to send a hedged request; zero for never */
    ReplicaReads(ShardReader reader, Duration hedgeDelay, MeterRegistry metrics) {
        this.reader = reader;
        this.hedgeDelay = hedgeDelay;
        this.hedges = Counter.builder("timberdb.query.hedges")
                .description("hedged shard requests sent to a second in-sync replica").register(metrics);
        this.hedgeWins = Counter.builder("timberdb.query.hedge.wins")
                .description("shard reads the hedged request answered first").register(metrics);
        this.failovers = Counter.builder("timberdb.query.failovers")
                .description("shard requests sent to the next in-sync replica after a replica failed").register(metrics);
    }

    /** The replicas a read may ask, in order: the leader if it is in sync, then the rest of the ISR. */
    static List<String> candidates(Partition.ShardPlacement placement) {
        List<String> nodes = new ArrayList<>(placement.isr().size());
        if (placement.isr().contains(placement.node())) {
            nodes.add(placement.node());
        }
        for (String node : placement.isr()) {
            if (!node.equals(placement.node())) {
                nodes.add(node);
            }
        }
        return nodes;
    }

    /**
     * One in-sync replica's answer to {@code query} on {@code shard}, within {@code timeout}.
     *
     * @return the answer and the replica that gave it; or {@link ShardUnavailable} when no in-sync
     *         replica answered in time; or the query's own error (a 4xx problem) as a replica gave it
     */
    Mono<Answer> read(ShardId shard, Partition.ShardPlacement placement, ShardQuery query, Duration timeout) {
        List<String> nodes = candidates(placement);
        return Mono.defer(() -> {
            Read read = new Read(shard, nodes, query, Schedulers.parallel().now(TimeUnit.MILLISECONDS));
            // the hedge's timer stops once every candidate has been asked, so that a read whose
            // replicas all failed fast ends at once rather than at the hedge delay
            Mono<Answer> hedge = hedgeDelay.isZero() || nodes.size() < 2 ? Mono.empty()
                    : Mono.delay(hedgeDelay).takeUntilOther(read.exhausted.asMono()).flatMap(tick -> read.next(true, false));
            return Flux.merge(read.next(false, false), hedge)
                    .next()
                    .switchIfEmpty(Mono.error(() -> read.unavailable(false)))
                    .timeout(timeout, Mono.error(() -> read.unavailable(true)))
                    .doOnNext(answer -> {
                        if (answer.hedged()) {
                            hedgeWins.increment();
                        }
                    });
        });
    }

    /**
     * Whether {@code e} is a replica's fault, so that another replica may answer: anything but a
     * problem of the query itself (4xx other than 429) and the query's memory budget.
     */
    static boolean replicaFault(Throwable e) {
        if (e instanceof TimberException te) {
            return te.code().status() >= 500 || te.code().status() == 429;
        }
        if (e instanceof WebClientResponseException w) {
            return w.getStatusCode().is5xxServerError() || w.getStatusCode().value() == 429;
        }
        return true;
    }

    /** What a replica's failure says, for the answer's {@code error}. */
    static String why(Throwable e) {
        return e instanceof TimeoutException ? "timed out"
                : e instanceof TimberException te && te.code() != ErrorCode.INTERNAL ? te.getMessage() : e.toString();
    }

    /**
     * One shard's answer.
     *
     * @param node the in-sync replica that gave it
     * @param hedged whether it came from the hedged request (or its failovers)
     */
    record Answer(String node, ShardQueryResult result, boolean hedged) {
    }

    /** No in-sync replica of a shard answered; the message says what each one did. */
    static final class ShardUnavailable extends RuntimeException {
        ShardUnavailable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The state of one shard read: the next candidate to ask (shared by the racers, so that no
     * replica is asked twice) and why each replica asked so far failed.
     */
    private final class Read {
        final ShardId shard;
        final List<String> nodes;
        final ShardQuery query;
        final long started;
        final AtomicInteger nextCandidate = new AtomicInteger();
        final Map<String, String> failures = new ConcurrentHashMap<>();
        /** Completes when a racer finds no candidate left to ask. */
        final Sinks.One<Boolean> exhausted = Sinks.one();

        Read(ShardId shard, List<String> nodes, ShardQuery query, long started) {
            this.shard = shard;
            this.nodes = nodes;
            this.query = query;
            this.started = started;
        }

        /**
         * Asks the next candidate not yet asked, and on its fault the one after, until one answers;
         * empty when none is left.
         *
         * @param hedged whether this is the hedged racer
         * @param failover whether a replica before failed (else this is the racer's first request)
         */
        Mono<Answer> next(boolean hedged, boolean failover) {
            return Mono.defer(() -> {
                int i = nextCandidate.getAndIncrement();
                if (i >= nodes.size()) {
                    exhausted.tryEmitValue(true);
                    return Mono.empty();
                }
                if (failover) {
                    failovers.increment();
                } else if (hedged) {
                    hedges.increment();
                }
                String node = nodes.get(i);
                return Mono.defer(() -> reader.query(node, shard, budgeted()))
                        .switchIfEmpty(Mono.error(() -> new IllegalStateException("the replica answered nothing")))
                        .map(result -> new Answer(node, result, hedged))
                        .onErrorResume(ReplicaReads::replicaFault, e -> {
                            failures.put(node, why(e));
                            return next(hedged, true);
                        });
            });
        }

        /** The query with what is left of its time budget, if it has one. */
        private ShardQuery budgeted() {
            long elapsed = Schedulers.parallel().now(TimeUnit.MILLISECONDS) - started;
            if (query.budgetMillis() == null || query.budgetMillis() == 0 || elapsed <= 0) {
                return query;
            }
            return new ShardQuery(query.filter(), query.limit(), query.query(), query.now(), query.after(),
                    Math.max(1, query.budgetMillis() - elapsed));
        }

        /** Why no replica answered: each replica asked and what it did, in the order asked. */
        ShardUnavailable unavailable(boolean timedOut) {
            if (nodes.isEmpty()) {
                return new ShardUnavailable("shard " + shard + " has no in-sync replica");
            }
            List<String> said = new ArrayList<>();
            for (String node : nodes.subList(0, Math.min(nextCandidate.get(), nodes.size()))) {
                said.add(node + ": " + failures.getOrDefault(node, timedOut ? "timed out" : "no answer"));
            }
            return new ShardUnavailable("shard " + shard + ": no in-sync replica answered ("
                    + String.join("; ", said) + ")");
        }
    }
}
