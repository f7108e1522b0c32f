package io.timberdb.query.plan;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.timberdb.model.api.LanguageQueryResponse;
import io.timberdb.model.api.Partition;
import io.timberdb.model.query.Predicate;
import io.timberdb.model.query.Query;
import io.timberdb.model.query.TimeValue;
import io.timberdb.model.shard.EntryPosition;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.model.shard.ShardVersion;
import io.timberdb.query.control.QueryMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Merged answers of complete queries, served again to an identical query while none of the shards
 * it read has changed ({@code timberdb.query.result-cache-size}).
 *
 * <p><b>Never stale.</b> An answer is stored with, for each shard, the in-sync replica that answered
 * and the {@link ShardVersion} it reported with its part of the answer (read before that replica's
 * scan), and served only after each of those replicas has been asked its version again
 * ({@link ShardReader#version}, no scan) and all are equal, and each is still in its shard's ISR: a
 * replica bumps its version after each acknowledged append, seal, expiry and quarantine, and draws a
 * new epoch when reopened, so an equal version of the same replica means its data is what the answer
 * was computed from (or newer data the answer already holds). Versions are per replica (each draws
 * its own epoch), so an answer is only ever checked against the replica it came from, never against
 * another replica's version. A replica that cannot tell (an old node, a failure, no answer within
 * {@link #VERSION_WAIT}) or has left the ISR makes the lookup stale; the query then runs as usual.
 *
 * <p><b>Key</b> ({@link Key}): the query's canonical text (with its LIMIT), the shards it reads,
 * the cursor's position, and {@code now()} only when the query uses it.
 * <b>Not cached</b> ({@link #cacheable}): {@code EXPLAIN} (a plan describes the indexes, and is
 * asked for to see work done); the first page of a query using {@code now()}, whose window moves
 * with the clock (its later pages are: their cursor fixes {@code now()}); partial answers, and
 * answers from a shard that did not report its version ({@link #store}); an answer weighing more
 * than an eighth of the cache.
 *
 * <p>Metrics: {@code timberdb.query.result.cache} counts lookups by {@code result} — {@code hit},
 * {@code miss} (nothing stored), {@code stale} (stored, but a shard changed or could not tell) —
 * and {@code timberdb.query.result.cache.size} gauges the estimated bytes held.
 *
 * <p>Thread-safe: Caffeine's cache and Micrometer's counters are. Two queries that miss at once
 * both run and both store; the later store wins, and if it is the older answer the next lookup
 * finds it stale.
 */
final class ResultCache {

    /** How long a lookup waits for the shards' versions before it counts as a miss. */
    static final Duration VERSION_WAIT = Duration.ofSeconds(1);

    /** One cached answer and, for each shard, the replica that answered and its version then. */
    private record Stored(LanguageQueryResponse answer, Map<ShardId, Source> sources, int weight) {
    }

    /** The replica that gave a shard's part of an answer, and the version it answered at. */
    private record Source(String node, ShardVersion version) {
    }

    /**
     * What makes two queries identical: their canonical text (LIMIT included), the limit sent to
     * shards, {@code now()} (null unless the query uses it), where the page starts, the shards read.
     */
    record Key(String text, int limit, Instant now, EntryPosition after, List<ShardId> shards) {

        static Key of(Query query, ShardQuery sent, List<Partition> partitions) {
            List<ShardId> shards = new ArrayList<>();
            for (Partition p : partitions) {
                for (Partition.ShardPlacement placement : p.shards()) {
                    shards.add(new ShardId(p.id(), placement.shard()));
                }
            }
            return new Key(sent.query(), sent.limit(), usesNow(query.where()) ? sent.now() : null, sent.after(),
                    List.copyOf(shards));
        }
    }

    private final Cache<Key, Stored> answers;
    private final long maxWeight;
    private final Counter hits;
    private final Counter misses;
    private final Counter stale;

    /**
     * @param maxBytes the most the answers held may weigh, estimated ({@link QueryMemory#estimate(LanguageQueryResponse)});
     *        0 stores nothing
     * @param metrics where the counters are registered
     */
    ResultCache(long maxBytes, MeterRegistry metrics) {
        this.maxWeight = maxBytes;
        this.answers = maxBytes == 0 ? null : Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .<Key, Stored>weigher((key, stored) -> stored.weight())
                .build();
        this.hits = lookups(metrics, "hit");
        this.misses = lookups(metrics, "miss");
        this.stale = lookups(metrics, "stale");
        if (answers != null) {
            Gauge.builder("timberdb.query.result.cache.size", answers,
                            c -> c.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L))
                    .description("estimated bytes of the cached query answers").baseUnit("bytes").register(metrics);
        }
    }

    private static Counter lookups(MeterRegistry metrics, String result) {
        return Counter.builder("timberdb.query.result.cache").tag("result", result)
                .description("query result cache lookups, by outcome").register(metrics);
    }

    /** Whether answers to {@code query} may be cached: the cache is on, it is no EXPLAIN, and {@code now()} is fixed. */
    boolean cacheable(Query query, boolean nowFixedByCursor) {
        return answers != null && !query.explain() && (nowFixedByCursor || !usesNow(query.where()));
    }

    /**
     * The answer stored for {@code key}, if every replica it was read from is still in its shard's
     * ISR (as {@code partitions} place them) and still reports the version it answered at; else
     * empty (and a stale answer is dropped).
     */
    Mono<LanguageQueryResponse> lookup(Key key, List<Partition> partitions, ShardReader reader) {
        Stored stored = answers.getIfPresent(key);
        if (stored == null) {
            misses.increment();
            return Mono.empty();
        }
        Map<ShardId, List<String>> isr = new HashMap<>();
        for (Partition p : partitions) {
            for (Partition.ShardPlacement placement : p.shards()) {
                isr.put(new ShardId(p.id(), placement.shard()), placement.isr());
            }
        }
        return Flux.fromIterable(key.shards())
                .flatMap(shard -> {
                    Source source = stored.sources().get(shard);
                    if (source == null || !isr.getOrDefault(shard, List.of()).contains(source.node())) {
                        return Mono.just(false);
                    }
                    return reader.version(source.node(), shard)
                            .timeout(VERSION_WAIT)
                            .map(source.version()::equals)
                            .defaultIfEmpty(false)
                            .onErrorReturn(false);
                })
                .all(same -> same)
                .flatMap(valid -> {
                    if (valid) {
                        hits.increment();
                        return Mono.just(stored.answer());
                    }
                    stale.increment();
                    answers.asMap().remove(key, stored);
                    return Mono.empty();
                });
    }

    /**
     * Stores {@code answer}, merged from {@code outcomes}, with the replica and version of each,
     * unless it is partial, a shard did not report its version, or it weighs more than an eighth of
     * the cache.
     */
    void store(Key key, List<ShardFanout.Outcome> outcomes, LanguageQueryResponse answer) {
        if (answer.partial()) {
            return;
        }
        Map<ShardId, Source> sources = new HashMap<>();
        for (ShardFanout.Outcome o : outcomes) {
            if (o.result() == null || o.result().version() == null) {
                return;
            }
            sources.put(o.shard(), new Source(o.node(), o.result().version()));
        }
        long weight = QueryMemory.estimate(answer) + 96L * sources.size();
        if (weight > maxWeight / 8) {
            return;
        }
        answers.put(key, new Stored(answer, Map.copyOf(sources), (int) Math.min(weight, Integer.MAX_VALUE)));
    }

    /** Whether {@code where} refers to {@code now()}: its answer then depends on when it runs. */
    static boolean usesNow(Predicate where) {
        if (where instanceof Predicate.And and) {
            return usesNow(and.left()) || usesNow(and.right());
        }
        if (where instanceof Predicate.Or or) {
            return usesNow(or.left()) || usesNow(or.right());
        }
        if (where instanceof Predicate.Not not) {
            return usesNow(not.operand());
        }
        if (where instanceof Predicate.TimeCompare c) {
            return c.value() instanceof TimeValue.Now;
        }
        return where instanceof Predicate.TimeBetween b && (b.from() instanceof TimeValue.Now || b.to() instanceof TimeValue.Now);
    }
}
